using Microsoft.AspNetCore.Http.HttpResults;
using TikTokAds.Contracts;
using TikTokAds.Node.Auth;
using TikTokAds.Node.Gateway;

namespace TikTokAds.Node.Apis;

/// <summary>/api/admin: organizers and their API keys, for operators (Admin:ApiKey).</summary>
internal static class AdminApi
{
    private const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(AuthSchemes.AdminPolicy).WithTags("Admin").AddEndpointFilter(UnknownOrganizerIdAsync);
        admin.MapPost("/organizers", CreateOrganizerAsync).WithSummary("Creates an organizer and its first API key (shown once).");
        admin.MapGet("/organizers", ListOrganizersAsync).WithSummary("Lists organizers.");
        admin.MapGet("/organizers/{organizerId}", GetOrganizerAsync).WithSummary("One organizer.");
        admin.MapPost("/organizers/{organizerId}/keys", IssueKeyAsync).WithSummary("Issues another API key (shown once).");
        admin.MapGet("/organizers/{organizerId}/keys", ListKeysAsync).WithSummary("Lists the organizer's keys, without secrets.");
        admin.MapDelete("/organizers/{organizerId}/keys/{keyId}", RevokeKeyAsync).WithSummary("Revokes a key.");
        return app;
    }

    /// <summary>An id no organizer can have names none: 404, as an unknown one, before a grain key is made of it.</summary>
    private static ValueTask<object?> UnknownOrganizerIdAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => context.HttpContext.GetRouteValue("organizerId") is string id && !GrainKeys.IsOrganizerId(id)
            ? ValueTask.FromResult<object?>(Problems.NotFound($"No organizer {id}."))
            : next(context);

    public static async Task<Results<Created<OrganizerCreated>, ValidationProblem>> CreateOrganizerAsync(CreateOrganizerBody body, OrganizerAdministration administration)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["name"] = [$"A name of 1 to {MaxNameLength} characters is required."] });
        }
        var created = await administration.CreateOrganizerAsync(body.Name);
        return TypedResults.Created($"/api/admin/organizers/{created.Id}", created);
    }

    public static async Task<Ok<OrganizerView[]>> ListOrganizersAsync(OrganizerAdministration administration)
        => TypedResults.Ok((await administration.ListOrganizersAsync()).Select(o => new OrganizerView(o.Id, o.Name, o.CreatedAt)).ToArray());

    public static async Task<Results<Ok<OrganizerView>, ProblemHttpResult>> GetOrganizerAsync(string organizerId, OrganizerAdministration administration)
        => await administration.GetOrganizerAsync(organizerId) is { } o
            ? TypedResults.Ok(new OrganizerView(o.Id, o.Name, o.CreatedAt))
            : Problems.NotFound($"No organizer {organizerId}.");

    public static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> IssueKeyAsync(string organizerId, OrganizerAdministration administration)
        => await administration.IssueKeyAsync(organizerId) is { } key
            ? TypedResults.Created($"/api/admin/organizers/{organizerId}/keys/{key.KeyId}", key)
            : Problems.NotFound($"No organizer {organizerId}.");

    public static async Task<Results<Ok<KeyView[]>, ProblemHttpResult>> ListKeysAsync(string organizerId, OrganizerAdministration administration)
        => await administration.ListKeysAsync(organizerId) is { } keys
            ? TypedResults.Ok(keys.ToArray())
            : Problems.NotFound($"No organizer {organizerId}.");

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string organizerId, string keyId, OrganizerAdministration administration)
        => await administration.RevokeKeyAsync(organizerId, keyId)
            ? TypedResults.NoContent()
            : Problems.NotFound($"No key {keyId} for organizer {organizerId}.");
}
