using System.Net;

namespace Caucus.Api.Auth;

/// <summary>
/// The client a request counts against: its address as the forwarded-headers middleware left it (the
/// connection's own, or X-Forwarded-For's when the connection comes from a configured known proxy). An IPv6
/// client is its /64: one site holds a whole /64 and could otherwise take a fresh address for every guess.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
