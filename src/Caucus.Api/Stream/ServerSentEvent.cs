using System.Text;

namespace Caucus.Api.Stream;

/// <summary>One Server-Sent Event as bytes: built once per version and written unchanged to every listener.</summary>
public static class ServerSentEvent
{
    public static byte[] Format(string name, long id, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var head = Encoding.UTF8.GetBytes($"event: {name}\nid: {id}\ndata: ");
        var bytes = new byte[head.Length + json.Length + 2];
        head.CopyTo(bytes, 0);
        json.CopyTo(bytes, head.Length);
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
