using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// A command-line parse error as one line for people: the option and what its value must be ("--epochs: 'abc' is not
/// a whole number", "--model: 'foo' is not one of vae, dae, recvae"), never a .NET type name.
/// </summary>
internal static partial class ParseErrorMessage
{
    /// <summary>The line for <paramref name="error"/>.</summary>
    public static string Of(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        if (option is null || CannotParse().Match(error.Message) is not { Success: true } match)
            return string.Join(' ', error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        string token = match.Groups[1].Value;
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        string expected = type.IsEnum ? $"one of {string.Join(", ", ValueNames(type))}"
            : type == typeof(int) || type == typeof(long) || type == typeof(ulong) ? "a whole number"
            : type == typeof(double) || type == typeof(float) ? "a number"
            : type == typeof(bool) ? "true or false"
            : $"a valid value";
        return $"{option.Name}: '{token}' is not {expected}.";
    }

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

    /// <summary><paramref name="help"/> with capitalised defaults ("[default: Vae]", "[default: False]") in lower case, as they are typed.</summary>
    public static string LowerCaseDefaults(string help) =>
        CapitalisedDefault().Replace(help, m => $"[default: {m.Groups[1].Value.ToLowerInvariant()}]");

    [GeneratedRegex(@"\[default: ([A-Z][A-Za-z0-9]*)\]")]
    private static partial Regex CapitalisedDefault();

    [GeneratedRegex("^Cannot parse argument '(.*)' for option '")]
    private static partial Regex CannotParse();
}
