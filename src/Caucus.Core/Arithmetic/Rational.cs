using System.Globalization;
using System.Numerics;
using System.Text;

namespace Caucus.Core.Arithmetic;

/// <summary>
/// An exact fraction with arbitrary-precision numerator and denominator, always in lowest terms
/// with a positive denominator. RULES.md asks that every number be an integer or an exact fraction,
/// with no floating point anywhere in the math; BigInteger means no input is large enough to overflow.
/// </summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    private readonly BigInteger _numerator;
    private readonly BigInteger _denominator; // 0 only for default(Rational), read as 0/1

    public static readonly Rational Zero = new(BigInteger.Zero, BigInteger.One, normalized: true);
    public static readonly Rational One = new(BigInteger.One, BigInteger.One, normalized: true);
    public static readonly Rational Half = new(BigInteger.One, new BigInteger(2), normalized: true);

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("A fraction cannot have a zero denominator.");
        }
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero)
        {
            numerator /= gcd;
            denominator /= gcd;
        }
        _numerator = numerator;
        _denominator = numerator.IsZero ? BigInteger.One : denominator;
    }

    private Rational(BigInteger numerator, BigInteger denominator, bool normalized)
    {
        _ = normalized;
        _numerator = numerator;
        _denominator = denominator;
    }

    public BigInteger Numerator => _numerator;
    public BigInteger Denominator => _denominator.IsZero ? BigInteger.One : _denominator;
    public int Sign => _numerator.Sign;
    public bool IsZero => _numerator.IsZero;
    public bool IsInteger => Denominator.IsOne;

    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One, normalized: true);

    public static implicit operator Rational(long value) => FromInteger(value);
    public static implicit operator Rational(int value) => FromInteger(value);

    public static Rational operator +(Rational a, Rational b) =>
        a.Denominator == b.Denominator
            ? new Rational(a.Numerator + b.Numerator, a.Denominator)
            : new Rational(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + (-b);
    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator, normalized: true);
    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
    public static Rational operator /(Rational a, Rational b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    public Rational Add(Rational other) => this + other;
    public Rational Subtract(Rational other) => this - other;
    public Rational Multiply(Rational other) => this * other;
    public Rational Divide(Rational other) => this / other;
    public Rational Negate() => -this;

    /// <summary>The largest integer not greater than this value.</summary>
    public BigInteger Floor()
    {
        var quotient = BigInteger.DivRem(Numerator, Denominator, out var remainder);
        return remainder.Sign < 0 ? quotient - 1 : quotient;
    }

    /// <summary>The smallest integer not less than this value.</summary>
    public BigInteger Ceiling() => -(-this).Floor();

    /// <summary>The part above the floor: always in [0, 1).</summary>
    public Rational FractionalPart => this - FromInteger(Floor());

    /// <summary>Nearest integer, halves up: floor(x + 1/2) (RULES.md, "Delegates per group").</summary>
    public BigInteger RoundHalfUp() => (this + Half).Floor();

    /// <summary>
    /// Decimal text with exactly <paramref name="places"/> digits after the point, halves rounded up
    /// (away from zero for negatives), as the party published SDEs ("0.0784").
    /// </summary>
    public string ToDecimalString(int places)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(places);
        var scale = BigInteger.Pow(10, places);
        var magnitude = Sign < 0 ? -this : this;
        var scaled = (magnitude * FromInteger(scale)).RoundHalfUp();
        var integerPart = BigInteger.DivRem(scaled, scale, out var fraction);
        var text = new StringBuilder();
        if (Sign < 0 && !scaled.IsZero)
        {
            text.Append('-');
        }
        text.Append(integerPart.ToString(CultureInfo.InvariantCulture));
        if (places > 0)
        {
            text.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(places, '0'));
        }
        return text.ToString();
    }

    /// <summary>Parses a plain decimal ("0.0784", "12", "-3.5") or a fraction ("4/51") exactly.</summary>
    public static bool TryParse(string? text, out Rational value)
    {
        value = Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!BigInteger.TryParse(text.AsSpan(0, slash), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                || !BigInteger.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
                || d.IsZero)
            {
                return false;
            }
            value = new Rational(n, d);
            return true;
        }
        var negative = text.StartsWith('-');
        var digits = negative || text.StartsWith('+') ? text[1..] : text;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? digits : digits[..point];
        var fractionDigits = point < 0 ? "" : digits[(point + 1)..];
        if (whole.Length + fractionDigits.Length == 0
            || !whole.All(char.IsAsciiDigit) || !fractionDigits.All(char.IsAsciiDigit))
        {
            return false;
        }
        var numerator = BigInteger.Parse(whole + fractionDigits is { Length: > 0 } all ? all : "0", CultureInfo.InvariantCulture);
        value = new Rational(negative ? -numerator : numerator, BigInteger.Pow(10, fractionDigits.Length));
        return true;
    }

    public static Rational Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a decimal number or fraction.");

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public override string ToString() =>
        IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture) : $"{Numerator}/{Denominator}";

    public static Rational Sum(IEnumerable<Rational> values)
    {
        var total = Zero;
        foreach (var value in values)
        {
            total += value;
        }
        return total;
    }
}
