using System.Numerics;
using Caucus.Core.Arithmetic;
using CsCheck;

namespace Caucus.Core.Tests;

public class RationalTests
{
    private static readonly Gen<Rational> AnyRational =
        Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000], Gen.Long[1, 1_000_000_000], Gen.Bool,
            (n, d, negD) => new Rational(n, negD ? -d : d));

    private static readonly Gen<Rational> NonZero = AnyRational.Where(r => !r.IsZero);

    [Fact]
    public void Addition_and_multiplication_obey_the_field_laws()
    {
        Gen.Select(AnyRational, AnyRational, AnyRational).Sample((a, b, c) =>
        {
            Assert.Equal(a + b, b + a);
            Assert.Equal(a * b, b * a);
            Assert.Equal((a + b) + c, a + (b + c));
            Assert.Equal((a * b) * c, a * (b * c));
            Assert.Equal(a * (b + c), a * b + a * c);
            Assert.Equal(a, a + Rational.Zero);
            Assert.Equal(a, a * Rational.One);
            Assert.Equal(Rational.Zero, a + (-a));
            Assert.Equal(a, a - b + b);
        }, iter: 5_000);
    }

    [Fact]
    public void Division_undoes_multiplication_and_every_nonzero_value_has_an_inverse()
    {
        Gen.Select(AnyRational, NonZero).Sample((a, b) =>
        {
            Assert.Equal(a, a / b * b);
            Assert.Equal(Rational.One, b * (Rational.One / b));
        }, iter: 5_000);
    }

    [Fact]
    public void Values_are_kept_in_lowest_terms_with_a_positive_denominator()
    {
        AnyRational.Sample(a =>
        {
            Assert.True(a.Denominator.Sign > 0);
            Assert.Equal(BigInteger.One, BigInteger.GreatestCommonDivisor(a.Numerator, a.Denominator) is var g && g.IsZero ? BigInteger.One : g);
            Assert.Equal(a, new Rational(a.Numerator * 7, a.Denominator * 7));
        }, iter: 5_000);
        Assert.Equal(new Rational(1, 2), new Rational(-3, -6));
        Assert.Equal("-1/2", new Rational(3, -6).ToString());
    }

    [Fact]
    public void Comparison_agrees_with_the_sign_of_the_difference()
    {
        Gen.Select(AnyRational, AnyRational).Sample((a, b) =>
            Assert.Equal((a - b).Sign, Math.Sign(a.CompareTo(b))), iter: 5_000);
    }

    [Fact]
    public void Floor_and_round_half_up_match_integer_division()
    {
        AnyRational.Sample(a =>
        {
            // floor(n/d) for d > 0, written with BigInteger division (which truncates toward zero).
            var n = a.Numerator;
            var d = a.Denominator;
            var floor = BigInteger.Divide(n, d) - (n.Sign < 0 && !(n % d).IsZero ? 1 : 0);
            Assert.Equal(floor, a.Floor());
            // round half up = floor((2n + d) / 2d)
            var n2 = 2 * n + d;
            var d2 = 2 * d;
            var rounded = BigInteger.Divide(n2, d2) - (n2.Sign < 0 && !(n2 % d2).IsZero ? 1 : 0);
            Assert.Equal(rounded, a.RoundHalfUp());
            Assert.True(a.FractionalPart >= Rational.Zero && a.FractionalPart < Rational.One);
        }, iter: 5_000);
    }

    [Theory]
    [InlineData(5, 2, 3)]     // 2.5 → 3
    [InlineData(3, 2, 2)]     // 1.5 → 2
    [InlineData(-5, 2, -2)]   // -2.5 → floor(-2) = -2 (halves up, not away from zero)
    [InlineData(12, 10, 1)]   // 1.2 → 1
    [InlineData(16, 10, 2)]   // 1.6 → 2
    [InlineData(7, 1, 7)]
    public void Round_half_up_takes_halves_upward(long n, long d, long expected) =>
        Assert.Equal(new BigInteger(expected), new Rational(n, d).RoundHalfUp());

    [Theory]
    [InlineData("0.00005", 4, "0.0001")]
    [InlineData("0.00004999", 4, "0.0000")]
    [InlineData("4/51", 4, "0.0784")]     // 0.078431…
    [InlineData("8/51", 4, "0.1569")]     // 0.156862…
    [InlineData("12/51", 4, "0.2353")]    // 0.235294…
    [InlineData("3/35", 4, "0.0857")]     // 0.085714…
    [InlineData("101/500", 4, "0.2020")]
    [InlineData("12", 4, "12.0000")]
    [InlineData("-0.00005", 4, "-0.0001")]
    [InlineData("-0.00004", 4, "0.0000")]
    [InlineData("5/2", 0, "3")]
    [InlineData("0.99995", 4, "1.0000")]
    public void Decimal_text_rounds_halves_up(string value, int places, string expected) =>
        Assert.Equal(expected, Rational.Parse(value).ToDecimalString(places));

    [Fact]
    public void Decimal_text_is_within_half_a_unit_of_the_last_place_and_parses_back()
    {
        AnyRational.Sample(a =>
        {
            var text = a.ToDecimalString(4);
            var back = Rational.Parse(text);
            var error = a - back;
            Assert.True(error <= new Rational(1, 20_000) && error >= new Rational(-1, 20_000), $"{a} → {text}");
            Assert.Equal(4, text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1);
        }, iter: 5_000);
    }

    [Theory]
    [InlineData("0.0784", 784, 10_000)]
    [InlineData("4/51", 4, 51)]
    [InlineData("-3.5", -7, 2)]
    [InlineData("12", 12, 1)]
    public void Parse_reads_decimals_and_fractions_exactly(string text, long n, long d) =>
        Assert.Equal(new Rational(n, d), Rational.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1/0")]
    [InlineData("1.2.3")]
    public void Parse_refuses_what_is_not_a_number(string text) =>
        Assert.False(Rational.TryParse(text, out _));

    [Fact]
    public void A_zero_denominator_is_refused() =>
        Assert.Throws<DivideByZeroException>(() => new Rational(1, 0));
}
