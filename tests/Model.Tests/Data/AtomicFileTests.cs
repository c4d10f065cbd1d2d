using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>
/// An atomic write leaves the old file or the whole new one, never a temporary file; a target it cannot write is named
/// in one line (never by the temporary file's name).
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_ReplacesTheFileWhole_AndAFailingWriterKeepsTheOldOneWithNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "sub", "out.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("writer failed");
        }));

        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["out.txt"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_IntoAPathThroughAFile_OrOntoAFolder_NamesTheTargetNotTheTemporaryFile()
    {
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "x");
        var through = Path.Combine(file, "out.csv");

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(through, "y"));
        Assert.Equal($"cannot write {through}: its folder {file} cannot be made (is part of that path a file?).", e.Message);

        var folder = Directory.CreateDirectory(Path.Combine(_folder, "a-folder")).FullName;
        e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(folder, "y"));
        Assert.Equal($"cannot write {folder}: it is a folder.", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
    }
}
