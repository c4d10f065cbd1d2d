namespace VaeCfCluster.Model.Training;

/// <summary>One update: its 1-based epoch, its 0-based global step number, the batch's training rows in order, and β.</summary>
public sealed record TrainingStep(int Epoch, long Step, int[] Rows, double Beta);
