using Caucus.Api.Infrastructure;
using Caucus.Api.Storage;

namespace Caucus.Api.Sms;

public static class SmsExtensions
{
    /// <summary>The webhook's and the worksheet photos' services: settings (<c>Caucus:Sms</c>), the inbox, the store's text and photo tables, the refusal counts.</summary>
    public static IServiceCollection AddCaucusSms(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<CaucusOptions>().Sms);
        services.AddSingleton(sp => (ITextMessageStore)sp.GetRequiredService<ICaucusStore>());
        services.AddSingleton<SmsMetrics>();
        services.AddSingleton<TextInbox>();
        services.AddSingleton(sp => (IPhotoStore)sp.GetRequiredService<ICaucusStore>());
        services.AddSingleton<Photos.PhotoIntake>();
        services.AddHttpClient(MmsMedia.ClientName);
        services.AddSingleton<MmsMedia>();
        return services;
    }
}
