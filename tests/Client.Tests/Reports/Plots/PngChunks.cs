using System.Buffers.Binary;
using System.Text;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

/// <summary>
/// A minimal PNG reader written for the tests (independent of SkiaSharp and ScottPlot): checks the 8-byte
/// signature, walks every chunk (4-byte big-endian length, 4-byte type, data, CRC-32 of type + data), verifies each
/// CRC, and requires IHDR first and IEND last.
/// </summary>
internal sealed record PngChunks(int Width, int Height, IReadOnlyList<string> ChunkTypes)
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngChunks Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > Signature.Length, "file shorter than a PNG signature");
        Assert.Equal(Signature, bytes[..8]);
        var types = new List<string>();
        int width = -1, height = -1, at = 8;
        while (at < bytes.Length)
        {
            Assert.True(at + 12 <= bytes.Length, $"truncated chunk header at byte {at}");
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at, 4)));
            Assert.True(at + 12 + length <= bytes.Length, $"chunk at byte {at} runs past the end");
            string type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var typeAndData = bytes.AsSpan(at + 4, 4 + length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8 + length, 4));
            Assert.True(Crc32(typeAndData) == stored, $"CRC mismatch in chunk {type}");
            if (type == "IHDR")
            {
                Assert.Equal(13, length);
                width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8, 4)));
                height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 12, 4)));
            }
            types.Add(type);
            at += 12 + length;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        Assert.Contains("IDAT", types);
        return new PngChunks(width, height, types);
    }

    /// <summary>CRC-32 (polynomial 0xEDB88320, reflected), bit by bit, as in the PNG specification's annex D.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFF;
    }
}
