using System.CommandLine;
using System.Text.RegularExpressions;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// Help as the command line is typed: enum values and defaults in lower case ("--model &lt;vae|dae|recvae&gt;",
/// "[default: vae]"), since case does not matter when parsing them.
/// </summary>
internal static partial class HelpText
{
    /// <summary>An enum's values as the command line takes them (case does not matter): lower case.</summary>
    public static IEnumerable<string> ValueNames(Type enumType) => Enum.GetNames(enumType).Select(n => n.ToLowerInvariant());

    /// <summary>Shows every enum-valued option of <paramref name="command"/> and its subcommands with lower-case values in help.</summary>
    public static void UseLowerCaseValueNames(Command command)
    {
        foreach (var option in command.Options)
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            if (type.IsEnum && option.HelpName is null) option.HelpName = string.Join("|", ValueNames(type));
        }
        foreach (var sub in command.Subcommands) UseLowerCaseValueNames(sub);
    }

    /// <summary>Writes the help <paramref name="parsed"/> asks for to standard output, capitalised defaults in lower case.</summary>
    public static int Show(ParseResult parsed)
    {
        var help = new StringWriter();
        int code = parsed.Invoke(new InvocationConfiguration { Output = help });
        System.Console.Out.Write(LowerCaseDefaults(help.ToString()));
        return code;
    }

    /// <summary><paramref name="help"/> with capitalised defaults ("[default: Vae]", "[default: False]") in lower case, as they are typed.</summary>
    public static string LowerCaseDefaults(string help) =>
        CapitalisedDefault().Replace(help, m => $"[default: {m.Groups[1].Value.ToLowerInvariant()}]");

    [GeneratedRegex(@"\[default: ([A-Z][A-Za-z0-9]*)\]")]
    private static partial Regex CapitalisedDefault();
}
