using Caucus.Api.Tests.Infrastructure;

namespace Caucus.Api.Tests.Http;

/// <summary>The HTTP contract against PostgreSQL: a fresh database on the throwaway test cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresApiContractTests(PostgresApiHost host) : ApiContractTests(host), IClassFixture<PostgresApiHost>;
