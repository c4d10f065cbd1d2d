using System.Text;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads a text file line by line as <see cref="ReadOnlySpan{T}"/> slices of one reusable buffer, so parsing
/// millions of lines allocates nothing per line. A span returned by <see cref="TryReadLine"/> is valid only until
/// the next call. Accepts LF and CRLF endings; the last line needs no newline. A line longer than
/// <see cref="MaxLineChars"/> is refused (no data file here has one; a file without newlines is not a data file).
/// </summary>
internal sealed class LineScanner : IDisposable
{
    private const int InitialBufferChars = 1 << 20;

    /// <summary>The longest line read: 16 Mi characters.</summary>
    public const int MaxLineChars = 1 << 24;
    private readonly StreamReader _reader;
    private char[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfFile;

    private LineScanner(string path, StreamReader reader)
    {
        FilePath = path;
        _reader = reader;
        // A small file gets a small buffer (it still grows for long lines): opening thousands of tiny files stays cheap.
        _buffer = new char[(int)Math.Clamp(reader.BaseStream.Length + 1, 256, InitialBufferChars)];
    }

    /// <summary>The file being read, for error messages.</summary>
    public string FilePath { get; }

    /// <summary>1-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Length of the file in bytes.</summary>
    public long FileLength => _reader.BaseStream.Length;

    /// <summary>Opens a file, turning a missing file or a folder into a <see cref="DataFormatException"/>.</summary>
    public static LineScanner Open(string path)
    {
        if (Directory.Exists(path))
            throw new DataFormatException(path, 0, "file", "is a folder, not a file");
        if (!File.Exists(path))
            throw new DataFormatException(path, 0, "file", "the file does not exist");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return new LineScanner(path, new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));
    }

    /// <summary>The next line without its line ending; false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            int newline = pending.IndexOf('\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                line = TrimCarriageReturn(pending[..newline]);
                LineNumber++;
                return true;
            }
            if (_endOfFile)
            {
                _start = _end;
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = TrimCarriageReturn(pending);
                LineNumber++;
                return true;
            }
            Fill();
        }
    }

    public void Dispose() => _reader.Dispose();

    private ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line)
    {
        var trimmed = line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
        return trimmed.Length <= MaxLineChars ? trimmed : throw TooLong(LineNumber + 1);
    }

    private DataFormatException TooLong(long lineNumber) =>
        new(FilePath, lineNumber, "line", $"longer than {MaxLineChars:N0} characters (is it a data file, with one record per line?)");

    private void Fill()
    {
        int pending = _end - _start;
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
        {
            // Room for the longest line with its CRLF: a full buffer of that size without a newline holds a longer line.
            if (_buffer.Length >= MaxLineChars + 2) throw TooLong(LineNumber + 1);
            Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, MaxLineChars + 2));
        }
        int read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfFile = true;
        else _end += read;
    }
}
