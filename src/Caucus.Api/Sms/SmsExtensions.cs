using Caucus.Api.Infrastructure;
using Caucus.Api.Storage;

namespace Caucus.Api.Sms;

public static class SmsExtensions
{
    /// <summary>The webhook's services: its settings (<c>Caucus:Sms</c>), the inbox, the store's text tables, the refusal counts.</summary>
    public static IServiceCollection AddCaucusSms(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<CaucusOptions>().Sms);
        services.AddSingleton(sp => (ITextMessageStore)sp.GetRequiredService<ICaucusStore>());
        services.AddSingleton<SmsMetrics>();
        services.AddSingleton<TextInbox>();
        return services;
    }
}
