using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TikTokAds.Node.Apis.Audiences;

/// <summary>
/// The OpenAPI shape of <see cref="MemberRows"/>: its converter hides it from the document generator,
/// which would otherwise describe members as any value.
/// </summary>
internal static class MemberRowsSchema
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(MemberRows))
        {
            schema.Type = JsonSchemaType.Array;
            schema.Description = "Rows aligned to id_schema: one value per entry, raw or SHA-256, null or \"\" where unknown.";
            schema.Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Array | JsonSchemaType.Null,
                Items = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            };
        }
        return Task.CompletedTask;
    }
}
