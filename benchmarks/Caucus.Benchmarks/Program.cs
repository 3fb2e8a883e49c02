using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Caucus.Benchmarks.Iowa).Assembly).Run(args);
