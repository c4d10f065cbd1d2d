using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Baselines.Support;

/// <summary>Slow, obviously-correct double-precision helpers the baseline tests compare against.</summary>
internal static class Naive
{
    /// <summary>A random click matrix where each entry is a click with probability <paramref name="density"/>.</summary>
    internal static ClickMatrix RandomClicks(int users, int items, double density, int seed)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (random.NextDouble() < density) { rows.Add(u); columns.Add(i); }
        return ClickMatrix.FromPairs(users, items, rows.ToArray(), columns.ToArray());
    }

    /// <summary>The dense 0/1 matrix.</summary>
    internal static double[,] Dense(ClickMatrix clicks)
    {
        var dense = new double[clicks.RowCount, clicks.ColumnCount];
        for (int u = 0; u < clicks.RowCount; u++)
            foreach (int i in clicks.Row(u)) dense[u, i] = 1;
        return dense;
    }

    /// <summary>XᵀX by the definition.</summary>
    internal static double[,] Gram(ClickMatrix clicks)
    {
        var x = Dense(clicks);
        int n = clicks.ColumnCount;
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int u = 0; u < clicks.RowCount; u++) g[i, j] += x[u, i] * x[u, j];
        return g;
    }

    /// <summary>Solves A z = b by Gaussian elimination with partial pivoting (A is copied).</summary>
    internal static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var z = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            for (int c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            (z[col], z[pivot]) = (z[pivot], z[col]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = m[r, col] / m[col, col];
                for (int c = col; c < n; c++) m[r, c] -= factor * m[col, c];
                z[r] -= factor * z[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = z[r];
            for (int c = r + 1; c < n; c++) sum -= m[r, c] * z[c];
            z[r] = sum / m[r, r];
        }
        return z;
    }

    /// <summary>A [rows, columns] float32 tensor's values as a double matrix.</summary>
    internal static double[,] ToMatrix(TorchSharp.torch.Tensor tensor)
    {
        int rows = (int)tensor.shape[0], columns = (int)tensor.shape[1];
        using var asDouble = tensor.to(TorchSharp.torch.ScalarType.Float64).contiguous();
        var flat = asDouble.data<double>().ToArray();
        var matrix = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) matrix[r, c] = flat[r * columns + c];
        return matrix;
    }
}
