using System.Text;

namespace VaeCfCluster.Client.Tests;

/// <summary>Writes a small implicit-feedback CSV (user,item) with planted groups, for fast end-to-end runs.</summary>
internal static class PlantedCsv
{
    public static string Write(string folder, int users = 400, int items = 60, int groups = 3)
    {
        var random = new Random(12345);
        var text = new StringBuilder("user,item\n");
        int block = items / groups;
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (random.NextDouble() < (i / block == u % groups ? 0.4 : 0.03))
                    text.Append($"user{u},item{i}\n");
        var path = Path.Combine(folder, "clicks.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
