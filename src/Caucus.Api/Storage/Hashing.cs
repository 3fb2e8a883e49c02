using System.Security.Cryptography;
using System.Text;

namespace Caucus.Api.Storage;

/// <summary>Lower-case hex SHA-256, the form <c>body_hash</c> and <c>token_hash</c> are stored in.</summary>
public static class Hashing
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));
}
