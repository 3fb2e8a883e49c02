using System.Security.Cryptography;
using System.Text;

namespace Caucus.Api.Sms;

/// <summary>
/// Phone numbers as stored: normalised to E.164 (a North American 10-digit number gets +1) and kept only as an
/// HMAC-SHA256 under <see cref="SmsOptions.PhoneHashKey"/>, so the same number always finds its binding and the
/// database never holds the number.
/// </summary>
public static class PhoneNumbers
{
    /// <summary>The number in E.164 form (+ and 8 to 15 digits), or null when it is not a phone number.</summary>
    public static string? Normalise(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 40) return null;
        var digits = new StringBuilder();
        var plus = false;
        foreach (var c in typed.Trim())
        {
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c == '+' && digits.Length == 0 && !plus) plus = true;
            else if (c is not (' ' or '-' or '.' or '(' or ')')) return null;
        }
        var number = digits.ToString();
        if (!plus && number.StartsWith("00", StringComparison.Ordinal)) { number = number[2..]; plus = true; }
        if (!plus && number.Length == 10) number = "1" + number;
        else if (!plus && !(number.Length == 11 && number[0] == '1')) return null;
        return number.Length is >= 8 and <= 15 && number[0] != '0' ? "+" + number : null;
    }

    public static string Hash(string normalised, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(normalised)));
}
