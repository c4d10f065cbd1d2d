// Cluster tests start real processes; on a small machine they run one at a time so their timeouts stay meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
