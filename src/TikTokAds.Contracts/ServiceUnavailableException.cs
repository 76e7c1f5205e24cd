namespace TikTokAds.Contracts;

/// <summary>
/// Something a grain depends on (PostgreSQL) could not be reached, so the call changed nothing: the caller
/// may retry. It crosses nodes as itself, so every gateway answers it with 503 and Retry-After.
/// </summary>
[GenerateSerializer]
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException()
    {
    }

    public ServiceUnavailableException(string message) : base(message)
    {
    }

    public ServiceUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
