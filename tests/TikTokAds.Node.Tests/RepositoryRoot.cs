namespace TikTokAds.Node.Tests;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "TikTokAds.Orleans.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("TikTokAds.Orleans.sln not found above the test output directory.");
    }
}
