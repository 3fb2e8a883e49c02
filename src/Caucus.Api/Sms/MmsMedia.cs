using System.Net.Http.Headers;
using System.Text;
using Caucus.Api.Photos;

namespace Caucus.Api.Sms;

/// <summary>
/// Fetches an MMS photo from the gateway: only from <see cref="SmsOptions.MediaHosts"/>, at most
/// <see cref="PhotoIntake.MaxBytes"/>, within 20 seconds, with the account's credentials where configured.
/// </summary>
public sealed class MmsMedia(IHttpClientFactory clients, SmsOptions options)
{
    public const string ClientName = "sms-media";

    /// <summary>The photo's bytes, or what went wrong, in words for the reply.</summary>
    public async Task<(byte[]? Bytes, string? Problem)> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme is not ("https" or "http") || !options.MediaHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
        {
            return (null, "the photo's address is not the gateway's");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (options.TwilioAccountSid is { Length: > 0 } sid && options.TwilioAuthToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{token}")));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode) return (null, $"the gateway answered {(int)response.StatusCode} for the photo");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > PhotoIntake.MaxBytes) return (null, $"the photo is larger than {PhotoIntake.MaxBytes / (1024 * 1024)} MB");
                buffer.Write(chunk, 0, read);
            }
            return (buffer.ToArray(), null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, "the photo could not be fetched from the gateway");
        }
    }
}
