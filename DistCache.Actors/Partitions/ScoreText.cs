using System.Globalization;
using System.Text;

namespace DistCache.Actors.Partitions;

/// <summary>A sorted-set score as Redis reads and writes it: parsed as string2d does (strtod, no spaces,
/// "inf"/"+inf"/"-inf", never NaN) and printed as Redis 7.2's fpconv_dtoa prints it (the shortest text
/// that reads back as the same double; plain up to 7 zeros past the digits, else "1e+21"; "inf", "-inf").</summary>
public static class ScoreText
{
    public static bool TryParse(string text, out double score) => FloatValue.TryParse(text, out score);

    public static string Format(double score)
    {
        if (double.IsNaN(score))
            return "nan";
        var negative = double.IsNegative(score);
        if (double.IsInfinity(score))
            return negative ? "-inf" : "inf";
        if (score == 0)
            return negative ? "-0" : "0";
        var (digits, k) = Digits(Math.Abs(score));
        var text = new StringBuilder(24);
        if (negative)
            text.Append('-');
        Emit(text, digits, k);
        return text.ToString();
    }

    // The shortest round-trip digits (no leading or trailing zeros) and K such that |score| = digits × 10^K.
    private static (string Digits, int K) Digits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        var digits = (dot < 0 ? text : text[..dot]) + fraction;
        var k = exponent - fraction.Length;
        digits = digits.TrimStart('0');
        var trimmed = digits.TrimEnd('0');
        k += digits.Length - trimmed.Length;
        return (trimmed, k);
    }

    // fpconv_dtoa.c emit_digits, as Redis 7.2 ships it.
    private static void Emit(StringBuilder text, string digits, int k)
    {
        var n = digits.Length;
        var exp = Math.Abs(k + n - 1);
        if (k >= 0 && exp < n + 7)
        {
            text.Append(digits).Append('0', k);
            return;
        }
        if (k < 0 && (k > -7 || exp < 4))
        {
            var offset = n - Math.Abs(k);
            if (offset <= 0)
                text.Append("0.").Append('0', -offset).Append(digits);
            else
                text.Append(digits, 0, offset).Append('.').Append(digits, offset, n - offset);
            return;
        }
        text.Append(digits[0]);
        if (n > 1)
            text.Append('.').Append(digits, 1, n - 1);
        text.Append('e').Append(k + n - 1 < 0 ? '-' : '+');
        var cent = 0;
        if (exp > 99)
        {
            cent = exp / 100;
            text.Append((char)('0' + cent));
            exp -= cent * 100;
        }
        if (exp > 9)
        {
            text.Append((char)('0' + exp / 10));
            exp %= 10;
        }
        else if (cent != 0)
        {
            text.Append('0');
        }
        text.Append((char)('0' + exp % 10));
    }
}
