using System.Globalization;
using System.Text;

namespace DistCache.Actors.Partitions;

/// <summary>INCRBYFLOAT's arithmetic and text, matching Redis 7 (t_string.c incrbyfloatCommand,
/// util.c ld2string in LD_STR_HUMAN mode). Redis adds in long double and prints "%.17Lf" without
/// trailing zeros, so 10.5 + 0.1 reads 10.6 and 0.1 + 0.2 reads 0.3. .NET has no long double: the sum is
/// computed in decimal when both numbers fit one (exact for what people type), else in double.</summary>
public static class FloatValue
{
    private const int Decimals = 17;

    /// <summary>Redis's rule for a number in text: no surrounding spaces, no NaN; "inf" and "-inf" are numbers.</summary>
    public static bool TryParse(string text, out double value)
    {
        value = 0;
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            return false;
        switch (text.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
        }
        // Only digits, sign, point and exponent: .NET would also take "Infinity", "∞" and "NaN".
        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E'))
                return false;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }

    /// <summary>The sum as Redis would store it, or null when it is NaN or infinite.</summary>
    public static string? Add(string current, string delta)
    {
        if (TryDecimal(current, out var a) && TryDecimal(delta, out var b))
        {
            try
            {
                return Format(a + b);
            }
            catch (OverflowException)
            {
                // Beyond decimal's range: the double path below answers.
            }
        }
        if (!TryParse(current, out var x) || !TryParse(delta, out var y))
            return null;
        var sum = x + y;
        return double.IsFinite(sum) ? Format(sum) : null;
    }

    public static string Format(decimal value) => Trim(decimal.Round(value, Decimals, MidpointRounding.ToEven).ToString(CultureInfo.InvariantCulture));

    // "F17" prints a double's exact digits, as printf's %.17f does.
    public static string Format(double value) => Trim(value.ToString("F17", CultureInfo.InvariantCulture));

    private static bool TryDecimal(string text, out decimal value)
    {
        value = 0;
        return TryParse(text, out var asDouble) && double.IsFinite(asDouble)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string Trim(string text)
    {
        if (text.Contains('.'))
            text = text.TrimEnd('0').TrimEnd('.');
        return text == "-0" ? "0" : text;
    }

    /// <summary>The text of the number a stored value holds, or null when it does not hold one.</summary>
    public static string? TextOf(byte[] textBytes)
    {
        var text = Encoding.UTF8.GetString(textBytes);
        return TryParse(text, out _) ? text : null;
    }
}
