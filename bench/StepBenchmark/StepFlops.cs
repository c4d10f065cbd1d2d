namespace VaeCfCluster.Bench;

/// <summary>
/// Floating-point operations of one Mult-VAE training step, counted per matrix multiply (2·m·n·k each).
/// "Dense" counts the first layer as a dense [B, I] × [I, H] product; "executed" counts what the sparse first
/// layer really does (2·clicks·H forward, the same again for its weight gradient, no input gradient).
/// Element-wise work (tanh, softmax, Adam) is not counted: it is memory-bound and shows up as lost efficiency.
/// </summary>
internal static class StepFlops
{
    public static (double Dense, double Executed) Count(int batch, int items, long clicks, int[] encoderDims, bool vae)
    {
        // Layers as (in, out) from input to output.
        var layers = new List<(long In, long Out)>();
        for (int l = 0; l + 1 < encoderDims.Length; l++)
        {
            bool last = l + 2 == encoderDims.Length;
            layers.Add((encoderDims[l], last && vae ? 2 * encoderDims[l + 1] : encoderDims[l + 1]));
        }
        var decoder = encoderDims.Reverse().ToArray();
        for (int l = 0; l + 1 < decoder.Length; l++) layers.Add((decoder[l], decoder[l + 1]));

        double dense = 0, executed = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            var (fanIn, fanOut) = layers[l];
            double gemm = 2.0 * batch * fanIn * fanOut;
            if (l == 0)
            {
                dense += 2 * gemm;                       // forward + weight gradient (no input gradient)
                executed += 2 * (2.0 * clicks * fanOut); // sparse forward + sparse weight gradient
            }
            else
            {
                dense += 3 * gemm;                       // forward + input gradient + weight gradient
                executed += 3 * gemm;
            }
        }
        return (dense, executed);
    }
}
