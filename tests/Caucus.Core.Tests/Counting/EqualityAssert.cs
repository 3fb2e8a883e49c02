using System.Reflection;

namespace Caucus.Core.Tests.Counting;

/// <summary>
/// Value equality checked the way NodaTime's TestHelper checks its value types: every equal pair through
/// Equals(object), Equals(T), ==, != and GetHashCode, in both directions, and every unequal pair the same way.
/// The operators are found by reflection, so a type that loses its == fails here rather than comparing references.
/// </summary>
internal static class EqualityAssert
{
    public static void Equal<T>(T a, T b) where T : class, IEquatable<T>
    {
        Reflexive(a);
        Reflexive(b);
        Assert.True(a.Equals(b), $"Equals(T): {a} should equal {b}");
        Assert.True(b.Equals(a), $"Equals(T) is not symmetric: {b} should equal {a}");
        Assert.True(a.Equals((object)b), "Equals(object)");
        Assert.True(b.Equals((object)a), "Equals(object), reversed");
        Assert.True(Operator("op_Equality", a, b), "==");
        Assert.True(Operator("op_Equality", b, a), "==, reversed");
        Assert.False(Operator("op_Inequality", a, b), "!=");
        Assert.False(Operator("op_Inequality", b, a), "!=, reversed");
        Assert.True(a.GetHashCode() == b.GetHashCode(), $"equal values need equal hash codes: {a} and {b}");
    }

    public static void Unequal<T>(T a, T b) where T : class, IEquatable<T>
    {
        Reflexive(a);
        Reflexive(b);
        Assert.False(a.Equals(b), $"Equals(T): {a} should not equal {b}");
        Assert.False(b.Equals(a), $"Equals(T) is not symmetric: {b} should not equal {a}");
        Assert.False(a.Equals((object)b), "Equals(object)");
        Assert.False(b.Equals((object)a), "Equals(object), reversed");
        Assert.False(Operator("op_Equality", a, b), "==");
        Assert.False(Operator("op_Equality", b, a), "==, reversed");
        Assert.True(Operator("op_Inequality", a, b), "!=");
        Assert.True(Operator("op_Inequality", b, a), "!=, reversed");
    }

    private static void Reflexive<T>(T a) where T : class, IEquatable<T>
    {
        Assert.True(a.Equals(a), "Equals(T) is not reflexive");
        Assert.True(a.Equals((object)a), "Equals(object) is not reflexive");
        Assert.True(Operator("op_Equality", a, a), "== is not reflexive");
        Assert.False(Operator("op_Inequality", a, a), "!= is not reflexive");
        Assert.Equal(a.GetHashCode(), a.GetHashCode());
        Assert.False(a.Equals(null), "a value never equals null");
        Assert.False(a.Equals(new object()), "a value never equals another type");
        Assert.False(Operator("op_Equality", a, null), "== null");
        Assert.True(Operator("op_Inequality", a, null), "!= null");
    }

    private static bool Operator<T>(string name, T? a, T? b) where T : class
    {
        var method = typeof(T).GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(T), typeof(T)]);
        Assert.True(method is not null, $"{typeof(T).Name} has no {name}");
        return (bool)method.Invoke(null, [a, b])!;
    }
}
