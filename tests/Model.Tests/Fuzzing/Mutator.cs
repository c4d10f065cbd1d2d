using System.Text;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded random mutations of a valid input: bit flips, random bytes, truncation, insertions of random bytes, of
/// delimiters and of "interesting" numbers (huge, negative, NaN, infinities), empty and very long lines, duplicated,
/// deleted and swapped lines, and overwrites with extreme 32-bit values (for binary length fields).
/// </summary>
internal static class Mutator
{
    private static readonly string[] Tokens =
    [
        "\t", "::", ":", ",", ";", " ", "\n", "\r\n", "\r", "\0", "\uFEFF", "\u00e9", "\u221e", "\"",
        "0", "-0", "-1", "+5", "00", "007", "1.", ".5", "1,5", "1e5", "1e39", "1e309", "-1e309", "3.4e38", "3.5e38", "1e-50",
        "2147483647", "2147483648", "-2147483648", "4294967296", "16777216", "99999999999999999999", "9223372036854775807",
        "NaN", "-NaN", "Infinity", "-Infinity", "inf", "nan", "0x10", "null", "true", "[]", "{}",
    ];

    private static readonly int[] ExtremeInts = [0, 1, -1, 2, 255, 65536, int.MaxValue, int.MinValue, int.MaxValue - 1, 0x3FFFFFFF, 0x7FFFFFF0, 1 << 24];

    /// <summary>One to four mutations of <paramref name="seed"/>; <paramref name="binary"/> adds 32-bit overwrites.</summary>
    public static byte[] Mutate(Random random, byte[] seed, bool binary = false)
    {
        var bytes = new List<byte>(seed);
        int count = 1 + random.Next(4);
        for (int k = 0; k < count; k++) MutateOnce(random, bytes, binary);
        return [.. bytes];
    }

    private static void MutateOnce(Random random, List<byte> bytes, bool binary)
    {
        int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count + 1);
        switch (random.Next(binary ? 13 : 12))
        {
            case 0 when bytes.Count > 0:
                int bit = random.Next(bytes.Count);
                bytes[bit] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 3:
                var noise = new byte[1 + random.Next(8)];
                random.NextBytes(noise);
                bytes.InsertRange(at, noise);
                break;
            case 4:
            case 5:
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                break;
            case 6:
                ReplaceNumber(random, bytes);
                break;
            case 7:
                bytes.InsertRange(LineStart(bytes, at), "\n"u8.ToArray());
                break;
            case 8:
                char fill = "9a\t,:- "[random.Next(7)];
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(new string(fill, 1000 + random.Next(9000))));
                break;
            case 9:
                DuplicateLine(random, bytes);
                break;
            case 10:
                DeleteLine(random, bytes);
                break;
            case 11:
                if (bytes.Count > 0) bytes.RemoveAt(random.Next(bytes.Count));
                break;
            case 12 when bytes.Count >= 4:
                int offset = random.Next(bytes.Count - 3);
                var value = BitConverter.GetBytes(ExtremeInts[random.Next(ExtremeInts.Length)] + (random.Next(3) - 1) * random.Next(2));
                for (int i = 0; i < 4; i++) bytes[offset + i] = value[i];
                break;
        }
    }

    /// <summary>Replaces one run of digits with an interesting token (huge, negative, NaN...).</summary>
    private static void ReplaceNumber(Random random, List<byte> bytes)
    {
        int start = random.Next(Math.Max(1, bytes.Count));
        while (start < bytes.Count && !IsDigit(bytes[start])) start++;
        if (start >= bytes.Count) return;
        int end = start;
        while (end < bytes.Count && IsDigit(bytes[end])) end++;
        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Encoding.UTF8.GetBytes(Tokens[14 + random.Next(Tokens.Length - 14)]));
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static int LineStart(List<byte> bytes, int at)
    {
        while (at > 0 && bytes[at - 1] != '\n') at--;
        return at;
    }

    private static (int Start, int End) RandomLine(Random random, List<byte> bytes)
    {
        int start = LineStart(bytes, bytes.Count == 0 ? 0 : random.Next(bytes.Count));
        int end = bytes.IndexOf((byte)'\n', start);
        return (start, end < 0 ? bytes.Count : end + 1);
    }

    private static void DuplicateLine(Random random, List<byte> bytes)
    {
        var (start, end) = RandomLine(random, bytes);
        var line = bytes.GetRange(start, end - start);
        if (line.Count > 0 && line[^1] != '\n') line.Add((byte)'\n');
        int copies = 1 + random.Next(3);
        for (int k = 0; k < copies; k++) bytes.InsertRange(start, line);
    }

    private static void DeleteLine(Random random, List<byte> bytes)
    {
        var (start, end) = RandomLine(random, bytes);
        bytes.RemoveRange(start, end - start);
    }
}
