using System.Globalization;

namespace VaeCfCluster.Model.Data;

/// <summary>Allocation-free parsing of the numeric fields of rating files, with a fast path for plain decimals.</summary>
internal static class FieldParser
{
    /// <summary>
    /// Parses a rating that is finite as a <see cref="float"/>, such as <c>4</c>, <c>3.5</c> or <c>-1e2</c>. Plain <c>digits[.digits]</c> take a
    /// fast path; anything else goes through <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out double)"/>.
    /// </summary>
    public static bool TryParseRating(ReadOnlySpan<char> text, out float value)
    {
        text = text.Trim();
        if (TryParsePlainDecimal(text, out value)) return true;
        // Finite as a float too: 1e39 is a finite double but float infinity.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && float.IsFinite((float)parsed))
        {
            value = (float)parsed;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Parses an integer (optional sign, surrounding spaces allowed).</summary>
    public static bool TryParseInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out float value)
    {
        // digits[.digits] with at most 15 characters: exact in a long, one rounding in the division.
        value = 0;
        if (text.IsEmpty || text.Length > 15) return false;
        long mantissa = 0;
        int integerDigits = 0;
        int fractionDigits = -1;
        foreach (char c in text)
        {
            if (c == '.')
            {
                if (fractionDigits >= 0) return false;
                fractionDigits = 0;
                continue;
            }
            uint digit = (uint)(c - '0');
            if (digit > 9) return false;
            mantissa = mantissa * 10 + digit;
            if (fractionDigits >= 0) fractionDigits++;
            else integerDigits++;
        }
        if (integerDigits == 0 || fractionDigits == 0) return false;
        double result = mantissa;
        if (fractionDigits > 0) result /= Pow10[fractionDigits];
        value = (float)result;
        return true;
    }

    private static readonly double[] Pow10 =
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
}
