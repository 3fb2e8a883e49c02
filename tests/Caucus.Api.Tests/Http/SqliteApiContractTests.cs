namespace Caucus.Api.Tests.Http;

/// <summary>The HTTP contract against the embedded default store: a SQLite file of its own.</summary>
public sealed class SqliteApiContractTests(SqliteApiHost host) : ApiContractTests(host), IClassFixture<SqliteApiHost>;
