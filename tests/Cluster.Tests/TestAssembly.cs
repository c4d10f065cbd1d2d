// The cluster fixtures each start silos that train on every core; run their collections one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
