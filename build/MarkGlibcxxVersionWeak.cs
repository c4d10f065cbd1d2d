using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one version-needed (Vernaux) entry of every libLibTorchSharp.so under a folder, when no
/// system libstdc++ provides that version, or always when <see cref="Always"/> is set (output that runs elsewhere,
/// e.g. in a Debian 12 image). Writes to a temporary file and renames it over the original.
/// </summary>
public sealed class MarkGlibcxxVersionWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string Directory { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    /// <summary>Patch even when this machine's libstdc++ has the version (the output runs on another system).</summary>
    public bool Always { get; set; }

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libraries = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        if (!Always && SystemLibStdCxxHas(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; no patch needed.");
            return true;
        }
        foreach (var path in libraries)
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                var result = MarkWeak(bytes, VersionName);
                if (result == PatchResult.Patched)
                {
                    var temp = path + ".patch.tmp";
                    File.WriteAllBytes(temp, bytes);
                    File.Replace(temp, path, null);
                    Log.LogMessage(MessageImportance.High, "Marked " + VersionName + " weak in " + path);
                }
            }
            catch (Exception e)
            {
                Log.LogWarning("Could not patch " + path + ": " + e.Message);
            }
        }
        return true;
    }

    private static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var candidate in candidates)
        {
            if (!File.Exists(candidate)) continue;
            var data = File.ReadAllBytes(candidate);
            return IndexOf(data, needle) >= 0;
        }
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    private enum PatchResult { NotFound, AlreadyWeak, Patched }

    private static PatchResult MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(elf, (int)shoff + link * shentsize + 0x18));
            int need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, nameOffset);
                    if (Encoding.ASCII.GetString(elf, nameOffset, end - nameOffset) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return PatchResult.AlreadyWeak;
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                        return PatchResult.Patched;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return PatchResult.NotFound;
    }
}
