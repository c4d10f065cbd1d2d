namespace VaeCfCluster.Model.Data;

/// <summary>
/// Collects rating rows for a reader: maps external id text to dense indices without allocating for ids
/// already seen (a <see cref="Dictionary{TKey, TValue}"/> looked up by <see cref="ReadOnlySpan{T}"/>), and
/// grows the row arrays geometrically.
/// </summary>
internal sealed class RatingTableBuilder
{
    private readonly IdInterner _users = new();
    private readonly IdInterner _items = new();
    private int[] _userColumn;
    private int[] _itemColumn;
    private float[] _values;
    private int _count;

    /// <summary>Starts with room for about <paramref name="capacityHint"/> rows.</summary>
    public RatingTableBuilder(long capacityHint)
    {
        int capacity = (int)Math.Clamp(capacityHint, 1024, Array.MaxLength);
        _userColumn = new int[capacity];
        _itemColumn = new int[capacity];
        _values = new float[capacity];
    }

    /// <summary>Rows added so far.</summary>
    public int Count => _count;

    /// <summary>Dense index of a user id, adding it when new.</summary>
    public int InternUser(ReadOnlySpan<char> id) => _users.Intern(id);

    /// <summary>Dense index of an item id, adding it when new.</summary>
    public int InternItem(ReadOnlySpan<char> id) => _items.Intern(id);

    /// <summary>Appends one row.</summary>
    public void Add(int user, int item, float value)
    {
        if (_count == _userColumn.Length) Grow();
        _userColumn[_count] = user;
        _itemColumn[_count] = item;
        _values[_count] = value;
        _count++;
    }

    /// <summary>The table of all rows added.</summary>
    public RatingTable Build(string source) =>
        new(source, _userColumn, _itemColumn, _values, _count, _users.Ids, _items.Ids);

    private void Grow()
    {
        int capacity = (int)Math.Min((long)_userColumn.Length * 2, Array.MaxLength);
        if (capacity == _userColumn.Length) throw new InvalidOperationException("Too many rating rows for one table.");
        Array.Resize(ref _userColumn, capacity);
        Array.Resize(ref _itemColumn, capacity);
        Array.Resize(ref _values, capacity);
    }

    /// <summary>
    /// Id text to dense index. Remembers the last id (rating files are often sorted by user), looks canonical
    /// non-negative integers below 2^24 ("0", "42", never "042") up in a flat array indexed by their value (one
    /// memory access instead of hashing and probing), and everything else in a dictionary keyed by the text.
    /// The two never overlap, since a canonical number has exactly one spelling.
    /// </summary>
    private sealed class IdInterner
    {
        private const int MaxDirectId = 1 << 24;
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<string> _ids = [];
        private int[] _direct = [];  // value -> index + 1, 0 when unseen
        private string? _last;
        private int _lastIndex;

        public IdInterner() => _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();

        public List<string> Ids => _ids;

        public int Intern(ReadOnlySpan<char> id)
        {
            if (_last is not null && id.SequenceEqual(_last)) return _lastIndex;
            int index;
            if (TryCanonicalNumber(id, out int value))
            {
                if (value >= _direct.Length) Array.Resize(ref _direct, (int)Math.Min(MaxDirectId, Math.Max(1024L, Math.Max(value + 1L, 2L * _direct.Length))));
                index = _direct[value] - 1;
                if (index < 0)
                {
                    index = Add(id);
                    _direct[value] = index + 1;
                }
            }
            else if (!_lookup.TryGetValue(id, out index))
            {
                index = Add(id);
                _index.Add(_ids[index], index);
            }
            _last = _ids[index];
            _lastIndex = index;
            return index;
        }

        private int Add(ReadOnlySpan<char> id)
        {
            _ids.Add(id.ToString());
            return _ids.Count - 1;
        }

        private static bool TryCanonicalNumber(ReadOnlySpan<char> id, out int value)
        {
            value = 0;
            if (id.IsEmpty || id.Length > 8 || (id[0] == '0' && id.Length > 1)) return false;
            foreach (char c in id)
            {
                uint digit = (uint)(c - '0');
                if (digit > 9) return false;
                value = value * 10 + (int)digit;
            }
            return value < MaxDirectId;
        }
    }
}
