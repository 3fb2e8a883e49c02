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
        That(a.Equals(b), () => $"Equals(T): {a} should equal {b}");
        That(b.Equals(a), () => $"Equals(T) is not symmetric: {b} should equal {a}");
        That(a.Equals((object)b), () => "Equals(object)");
        That(b.Equals((object)a), () => "Equals(object), reversed");
        That(Operator("op_Equality", a, b), () => "==");
        That(Operator("op_Equality", b, a), () => "==, reversed");
        That(!Operator("op_Inequality", a, b), () => "!=");
        That(!Operator("op_Inequality", b, a), () => "!=, reversed");
        That(a.GetHashCode() == b.GetHashCode(), () => $"equal values need equal hash codes: {a} and {b}");
    }

    public static void Unequal<T>(T a, T b) where T : class, IEquatable<T>
    {
        Reflexive(a);
        Reflexive(b);
        That(!a.Equals(b), () => $"Equals(T): {a} should not equal {b}");
        That(!b.Equals(a), () => $"Equals(T) is not symmetric: {b} should not equal {a}");
        That(!a.Equals((object)b), () => "Equals(object)");
        That(!b.Equals((object)a), () => "Equals(object), reversed");
        That(!Operator("op_Equality", a, b), () => "==");
        That(!Operator("op_Equality", b, a), () => "==, reversed");
        That(Operator("op_Inequality", a, b), () => "!=");
        That(Operator("op_Inequality", b, a), () => "!=, reversed");
    }

    private static void Reflexive<T>(T a) where T : class, IEquatable<T>
    {
        That(a.Equals(a), () => "Equals(T) is not reflexive");
        That(a.Equals((object)a), () => "Equals(object) is not reflexive");
        That(Operator("op_Equality", a, a), () => "== is not reflexive");
        That(!Operator("op_Inequality", a, a), () => "!= is not reflexive");
        That(a.GetHashCode() == a.GetHashCode(), () => "GetHashCode is not stable");
        That(!a.Equals(new object()), () => "a value never equals another type");
        That(!Operator("op_Equality", a, null), () => "== null");
        That(Operator("op_Inequality", a, null), () => "!= null");
        // Last: the compiler reads Equals(null) as a null test and treats a as maybe-null after it.
        That(!a.Equals(null), () => "a value never equals null");
    }

    /// <summary>Messages are formatted only on failure: a property test calls this thousands of times.</summary>
    private static void That(bool condition, Func<string> message)
    {
        if (!condition) Assert.Fail(message());
    }

    private static bool Operator<T>(string name, T? a, T? b) where T : class
    {
        var method = name == "op_Equality" ? Operators<T>.Equality : Operators<T>.Inequality;
        That(method is not null, () => $"{typeof(T).Name} has no {name}");
        return (bool)method!.Invoke(null, [a, b])!;
    }

    private static class Operators<T>
    {
        public static readonly MethodInfo? Equality = Lookup("op_Equality");
        public static readonly MethodInfo? Inequality = Lookup("op_Inequality");

        private static MethodInfo? Lookup(string name) => typeof(T).GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(T), typeof(T)]);
    }
}
