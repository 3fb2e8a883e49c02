namespace Caucus.Web.Tests.Infrastructure;

/// <summary>One browser for the whole run (starting Chromium is the slow part); each test class has its own server.</summary>
[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<Browser>
{
    public const string Name = "pages";
}
