using BenchmarkDotNet.Running;
using Caucus.Benchmarks;

// `store-append`: the store's append path on a real PostgreSQL, timed by hand (StoreAppend.cs); the rest is BenchmarkDotNet.
if (args is ["store-append", .. var rest]) return await StoreAppend.RunAsync(rest);
BenchmarkSwitcher.FromAssembly(typeof(Iowa).Assembly).Run(args);
return 0;
