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
        string expected = type.IsEnum ? $"one of {string.Join(", ", HelpText.ValueNames(type))}"
            : type == typeof(int) || type == typeof(long) || type == typeof(ulong) ? "a whole number"
            : type == typeof(double) || type == typeof(float) ? "a number"
            : type == typeof(bool) ? "true or false"
            : $"a valid value";
        return $"{option.Name}: '{token}' is not {expected}.";
    }

    [GeneratedRegex("^Cannot parse argument '(.*)' for option '")]
    private static partial Regex CannotParse();
}
