using System.Buffers.Binary;

namespace TikTokAds.Benchmarks.Cluster;

/// <summary>The raw baselines' wire format: [length of the rest][caller slot][payload], little-endian int32s.</summary>
public static class TcpFrame
{
    public const int HeaderLength = 8;

    public static int Length(byte[] payload) => HeaderLength + payload.Length;

    public static void Write(Span<byte> destination, int slot, byte[] payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, 4 + payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], slot);
        payload.CopyTo(destination[HeaderLength..]);
    }

    public static int Slot(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[4..]);
}
