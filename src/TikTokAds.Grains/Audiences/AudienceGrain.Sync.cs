using TikTokAds.Contracts;
using TikTokAds.Contracts.Audiences;
using TikTokAds.Contracts.Organizers;
using TikTokAds.TikTok;
using TikTokAds.TikTok.Models;

namespace TikTokAds.Grains.Audiences;

public sealed partial class AudienceGrain
{
    /// <summary>One step of the oldest open run: one chunk to TikTok, then progress stored, then the next turn.</summary>
    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        WakeUp.Disarm();
        if (!Current.Exists)
        {
            return;
        }
        var run = (await store.OpenAsync(GrainKey, cancellationToken)).FirstOrDefault(o => o.Status != OperationStatuses.Scheduled);
        if (run is null)
        {
            await EnsureProcessReminderAsync(false);
            return;
        }
        var credential = await GrainFactory.Organizer(OrganizerId).GetAdvertiserCredentialAsync(Current.AdvertiserId!);
        if (credential is null)
        {
            await NoteErrorAsync($"No connection uses advertiser {Current.AdvertiserId}; runs wait until one does.");
            Arm(_options.FailureBackoff);
            return;
        }
        if (run.StartedAt is null)
        {
            run = run with { Status = OperationStatuses.Running, StartedAt = time.GetUtcNow() };
        }
        var step = run.Phase == 0 ? await UploadRowsAsync(run, credential, cancellationToken) : await RemoveExtrasAsync(run, credential, cancellationToken);
        await store.UpdateAsync(step.Run, CancellationToken.None);
        Arm(step.Delay);
    }

    /// <summary>Phase 0: the run's rows, a chunk at a time, added (APPEND, REPLACE) or deleted (REMOVE).</summary>
    private async Task<(AudienceOperation Run, TimeSpan Delay)> UploadRowsAsync(AudienceOperation run, ConnectionSecret credential, CancellationToken cancellationToken)
    {
        var rows = await store.RowsAsync(run.OpId, run.Progress, _options.ChunkSize, cancellationToken);
        if (rows.Count == 0)
        {
            return run.Action == "REPLACE" ? (run with { Phase = 1 }, TimeSpan.Zero) : (Finish(run, null), TimeSpan.Zero);
        }
        var members = new List<string>();
        var batch = rows.Select(row => (IReadOnlyList<SegmentId>)[.. row.Split(',').Select((cell, p) =>
        {
            if (cell.Length == 0)
            {
                return SegmentId.Missing;
            }
            members.Add($"{run.IdSchema[p]}:{cell}");
            return new SegmentId { Id = cell, AudienceIds = [Current.TikTokAudienceId!] };
        })]).ToList();
        var delete = run.Action == "REMOVE";
        var response = await SendAsync(credential, delete ? "delete" : "add", run.IdSchema, batch, cancellationToken);
        if (response.IsSuccess)
        {
            if (delete)
            {
                await store.RemoveMembersAsync(GrainKey, members, CancellationToken.None);
            }
            else
            {
                await store.AddMembersAsync(GrainKey, members, CancellationToken.None);
            }
            await MarkReadyAsync();
            metrics.MembersSynced(run.Action, rows.Count);
            var next = run with { Progress = run.Progress + rows.Count, Uploaded = run.Uploaded + rows.Count };
            // The last chunk settles the run in the same turn (REPLACE moves on to its removals).
            return next.Progress < run.Valid ? (next, TimeSpan.Zero)
                : run.Action == "REPLACE" ? (next with { Phase = 1 }, TimeSpan.Zero)
                : (Finish(next, null), TimeSpan.Zero);
        }
        return await SetbackAsync(run, response);
    }

    /// <summary>Phase 1 of REPLACE: delete, a chunk at a time, what is stored but not in the new set.</summary>
    private async Task<(AudienceOperation Run, TimeSpan Delay)> RemoveExtrasAsync(AudienceOperation run, ConnectionSecret credential, CancellationToken cancellationToken)
    {
        if (_replaceKeep?.OpId != run.OpId)
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            for (var offset = 0; offset < run.Valid; offset += 50_000)
            {
                foreach (var row in await store.RowsAsync(run.OpId, offset, 50_000, cancellationToken))
                {
                    keep.UnionWith(row.Split(',').Select((cell, p) => cell.Length == 0 ? "" : $"{run.IdSchema[p]}:{cell}").Where(m => m.Length > 0));
                }
            }
            _replaceKeep = (run.OpId, keep);
        }
        var extras = await store.MembersNotInAsync(GrainKey, _replaceKeep.Value.Members, _options.ChunkSize, cancellationToken);
        if (extras.Count == 0)
        {
            _replaceKeep = null;
            return (Finish(run, null), TimeSpan.Zero);
        }
        // Each extra member is a row of the run's schema with only its own position filled.
        var schema = extras.Select(m => m[..m.IndexOf(':', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).ToList();
        var batch = extras.Select(m =>
        {
            var colon = m.IndexOf(':', StringComparison.Ordinal);
            return (IReadOnlyList<SegmentId>)[.. schema.Select(s => s == m[..colon] ? new SegmentId { Id = m[(colon + 1)..], AudienceIds = [Current.TikTokAudienceId!] } : SegmentId.Missing)];
        }).ToList();
        var response = await SendAsync(credential, "delete", schema, batch, cancellationToken);
        if (response.IsSuccess)
        {
            await store.RemoveMembersAsync(GrainKey, extras, CancellationToken.None);
            metrics.MembersSynced("REPLACE_REMOVE", extras.Count);
            return (run with { Removed = run.Removed + extras.Count }, TimeSpan.Zero);
        }
        return await SetbackAsync(run, response);
    }

    private Task<TikTokResponse<System.Text.Json.JsonElement>> SendAsync(ConnectionSecret credential, string action, IReadOnlyList<string> schema, IReadOnlyList<IReadOnlyList<SegmentId>> batch, CancellationToken cancellationToken)
        => tiktok.MapSegmentAsync(Token(credential), new SegmentMappingRequest
        {
            AdvertiserIds = [Current.AdvertiserId!],
            Action = action,
            IdSchema = schema,
            BatchData = batch,
        }, cancellationToken);

    /// <summary>"Still processing" waits for TikTok; other refusals fail the run; the rest back off and retry.</summary>
    private async Task<(AudienceOperation Run, TimeSpan Delay)> SetbackAsync(AudienceOperation run, TikTokResponse<System.Text.Json.JsonElement> response)
    {
        if (response.Code == TikTokCodes.InvalidEvent && response.Message.Contains("processing", StringComparison.OrdinalIgnoreCase))
        {
            if (Current.Status != AudienceStatuses.Processing)
            {
                state.State = Current with { Status = AudienceStatuses.Processing };
                await state.WriteStateAsync();
            }
            return (run, _options.ReadyPollInterval);
        }
        var error = $"TikTok {response.Code}: {response.Message}";
        AudienceLog.SyncProblem(logger, GrainKey, run.OpId, response.Outcome, response.Code, response.RequestId);
        if (response.Outcome == TikTokOutcome.InvalidRequest)
        {
            await NoteErrorAsync(error);
            return (Finish(run, error), TimeSpan.Zero);
        }
        await NoteErrorAsync(error);
        return (run, _options.FailureBackoff);
    }

    private AudienceOperation Finish(AudienceOperation run, string? error)
        => run with { Status = error is null ? OperationStatuses.Done : OperationStatuses.Failed, FinishedAt = time.GetUtcNow(), Error = error };

    private async Task MarkReadyAsync()
    {
        if (Current.Status != AudienceStatuses.Ready || Current.LastError is not null)
        {
            state.State = Current with { Status = AudienceStatuses.Ready, ReadyAt = Current.ReadyAt ?? time.GetUtcNow(), LastError = null };
            await state.WriteStateAsync();
        }
    }

    private async Task NoteErrorAsync(string error)
    {
        if (Current.LastError != error)
        {
            state.State = Current with { LastError = error };
            await state.WriteStateAsync();
        }
    }

    private void Arm(TimeSpan delay) => WakeUp.Within(delay);

    private WakeUp ScheduleTimer => _scheduleTimer ??= new WakeUp(time, () => this.RegisterGrainTimer(ReleaseScheduledAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    private WakeUp WakeUp => _wakeUp ??= new WakeUp(time, () => this.RegisterGrainTimer(ProcessAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));

    private async Task EnsureProcessReminderAsync(bool active)
    {
        if (Current.ProcessReminder == active)
        {
            return;
        }
        if (active)
        {
            await this.RegisterOrUpdateReminder(ProcessReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
        }
        else
        {
            await this.UnregisterReminderAsync(ProcessReminderName);
        }
        state.State = Current with { ProcessReminder = active };
        await state.WriteStateAsync();
    }

    /// <summary>A daily reminder at the sync hour exists while scheduled runs wait.</summary>
    private async Task EnsureScheduleAsync(bool active)
    {
        if (active)
        {
            // The reminder brings the grain back after a restart; while it is active, its own timer is exact.
            ScheduleTimer.Within(NextScheduledRun() - time.GetUtcNow());
            if (!Current.ScheduleReminder)
            {
                await this.RegisterOrUpdateReminder(ScheduleReminderName, NextScheduledRun() - time.GetUtcNow(), TimeSpan.FromDays(1));
                state.State = Current with { ScheduleReminder = true };
                await state.WriteStateAsync();
            }
        }
        else if (Current.ScheduleReminder)
        {
            await this.UnregisterReminderAsync(ScheduleReminderName);
            state.State = Current with { ScheduleReminder = false };
            await state.WriteStateAsync();
        }
    }
}
