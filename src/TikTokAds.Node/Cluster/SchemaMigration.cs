namespace TikTokAds.Node.Cluster;

/// <summary>
/// Applies sql/ as the silo's very first start-up step: Orleans' ADO.NET providers read their queries from
/// the database as they start, and the product's stores need their tables.
/// </summary>
internal sealed class SchemaMigration(SchemaMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(SchemaMigration), ServiceLifecycleStage.First, async cancellationToken => await migrator.MigrateAsync(cancellationToken));
}
