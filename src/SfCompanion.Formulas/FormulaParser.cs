using System.Globalization;
using System.Text;
using Superpower;
using Superpower.Display;
using Superpower.Model;
using Superpower.Parsers;
using Superpower.Tokenizers;

namespace SfCompanion.Formulas;

internal enum FormulaToken
{
    None,
    Number,
    String,
    Identifier,
    [Token(Example = ".")] Dot,
    [Token(Example = ",")] Comma,
    [Token(Example = "(")] LParen,
    [Token(Example = ")")] RParen,
    [Token(Example = "+")] Plus,
    [Token(Example = "-")] Minus,
    [Token(Example = "*")] Star,
    [Token(Example = "/")] Slash,
    [Token(Example = "^")] Caret,
    [Token(Example = "&")] Ampersand,
    [Token(Example = "=")] Equal,
    [Token(Example = "<>")] NotEqual,
    [Token(Example = "<")] Less,
    [Token(Example = ">")] Greater,
    [Token(Example = "<=")] LessOrEqual,
    [Token(Example = ">=")] GreaterOrEqual,
    [Token(Example = "&&")] AndAlso,
    [Token(Example = "||")] OrElse,
    [Token(Example = "!")] Bang,
}

/// <summary>
/// The Salesforce formula grammar as Superpower combinators. Precedence, loosest first: <c>||</c>, <c>&amp;&amp;</c>,
/// comparisons (<c>= == != &lt;&gt; &lt; &gt; &lt;= &gt;=</c>), <c>+ - &amp;</c>, <c>* /</c>, unary <c>- !</c>, <c>^</c>;
/// binary operators associate to the left.
/// </summary>
internal static class FormulaParser
{
    private static readonly Tokenizer<FormulaToken> Tokenizer = new TokenizerBuilder<FormulaToken>()
        .Ignore(Span.WhiteSpace)
        .Ignore(Comment.CStyle)
        .Match(Span.Regex(@"\d+(\.\d+)?"), FormulaToken.Number)
        .Match(Span.Regex(@"'(?:[^'\\]|\\.)*'"), FormulaToken.String)
        .Match(Span.Regex(@"""(?:[^""\\]|\\.)*"""), FormulaToken.String)
        .Match(Span.Regex(@"\$?[A-Za-z_][A-Za-z0-9_]*"), FormulaToken.Identifier)
        .Match(Span.EqualTo("&&"), FormulaToken.AndAlso)
        .Match(Span.EqualTo("||"), FormulaToken.OrElse)
        .Match(Span.EqualTo("=="), FormulaToken.Equal)
        .Match(Span.EqualTo("!="), FormulaToken.NotEqual)
        .Match(Span.EqualTo("<>"), FormulaToken.NotEqual)
        .Match(Span.EqualTo("<="), FormulaToken.LessOrEqual)
        .Match(Span.EqualTo(">="), FormulaToken.GreaterOrEqual)
        .Match(Character.EqualTo('='), FormulaToken.Equal)
        .Match(Character.EqualTo('<'), FormulaToken.Less)
        .Match(Character.EqualTo('>'), FormulaToken.Greater)
        .Match(Character.EqualTo('!'), FormulaToken.Bang)
        .Match(Character.EqualTo('&'), FormulaToken.Ampersand)
        .Match(Character.EqualTo('+'), FormulaToken.Plus)
        .Match(Character.EqualTo('-'), FormulaToken.Minus)
        .Match(Character.EqualTo('*'), FormulaToken.Star)
        .Match(Character.EqualTo('/'), FormulaToken.Slash)
        .Match(Character.EqualTo('^'), FormulaToken.Caret)
        .Match(Character.EqualTo('('), FormulaToken.LParen)
        .Match(Character.EqualTo(')'), FormulaToken.RParen)
        .Match(Character.EqualTo(','), FormulaToken.Comma)
        .Match(Character.EqualTo('.'), FormulaToken.Dot)
        .Build();

    private static FormulaSpan SpanOf(Token<FormulaToken> token) =>
        new(token.Span.Position.Absolute, token.Span.Length, token.Span.Position.Line, token.Span.Position.Column);

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> NumberLiteral =
        Token.EqualTo(FormulaToken.Number).Select(t => (FormulaSyntax)new LiteralSyntax(
            FormulaType.Number, decimal.Parse(t.ToStringValue(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), SpanOf(t)));

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> TextLiteral =
        Token.EqualTo(FormulaToken.String).Select(t => (FormulaSyntax)new LiteralSyntax(FormulaType.Text, Unescape(t.ToStringValue()), SpanOf(t)));

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Parenthesized =
        from open in Token.EqualTo(FormulaToken.LParen)
        from inner in Superpower.Parse.Ref(() => Expression!)
        from close in Token.EqualTo(FormulaToken.RParen)
        select (FormulaSyntax)new ParenthesizedSyntax(inner, FormulaSpan.Cover(SpanOf(open), SpanOf(close)));

    private static TokenListParser<FormulaToken, FormulaSyntax> CallTail(Token<FormulaToken> name) =>
        from open in Token.EqualTo(FormulaToken.LParen)
        from arguments in Superpower.Parse.Ref(() => Expression!).ManyDelimitedBy(Token.EqualTo(FormulaToken.Comma), Token.EqualTo(FormulaToken.RParen))
        select (FormulaSyntax)new CallSyntax(name.ToStringValue(), arguments, SpanOf(name), FormulaSpan.Cover(SpanOf(name), SpanOf(open)));

    private static TokenListParser<FormulaToken, FormulaSyntax> PathTail(Token<FormulaToken> first) =>
        Token.EqualTo(FormulaToken.Dot).IgnoreThen(Token.EqualTo(FormulaToken.Identifier)).Many().Select(rest =>
        {
            var span = rest.Length == 0 ? SpanOf(first) : FormulaSpan.Cover(SpanOf(first), SpanOf(rest[^1]));
            if (rest.Length == 0)
            {
                var text = first.ToStringValue();
                if (text.Equals("TRUE", StringComparison.OrdinalIgnoreCase))
                {
                    return (FormulaSyntax)new LiteralSyntax(FormulaType.Boolean, true, span);
                }

                if (text.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
                {
                    return new LiteralSyntax(FormulaType.Boolean, false, span);
                }

                if (text.Equals("NULL", StringComparison.OrdinalIgnoreCase))
                {
                    return new LiteralSyntax(FormulaType.Null, null, span);
                }
            }

            return new FieldSyntax([first.ToStringValue(), .. rest.Select(t => t.ToStringValue())], span);
        });

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Named =
        Token.EqualTo(FormulaToken.Identifier).Then(name => CallTail(name).Or(PathTail(name)));

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Primary =
        NumberLiteral.Or(TextLiteral).Or(Parenthesized).Or(Named);

    // An exponent may be negated (2 ^ -1); a negation in front of a power applies to the power (-2 ^ 2 = -4).
    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Exponent =
        Primary.Or(
            from minus in Token.EqualTo(FormulaToken.Minus)
            from operand in Superpower.Parse.Ref(() => Exponent!)
            select (FormulaSyntax)new UnarySyntax("-", operand, FormulaSpan.Cover(SpanOf(minus), operand.Span)));

    private static BinarySyntax MakeBinary(Token<FormulaToken> op, FormulaSyntax left, FormulaSyntax right)
    {
        var text = op.Kind switch
        {
            FormulaToken.Equal => "=",
            FormulaToken.NotEqual => "<>",
            _ => op.ToStringValue(),
        };
        return new BinarySyntax(text, left, right, SpanOf(op), FormulaSpan.Cover(left.Span, right.Span));
    }

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Unary =
        (from op in Token.EqualTo(FormulaToken.Minus).Or(Token.EqualTo(FormulaToken.Bang))
         from operand in Superpower.Parse.Ref(() => Unary!)
         select (FormulaSyntax)new UnarySyntax(op.ToStringValue(), operand, FormulaSpan.Cover(SpanOf(op), operand.Span)))
        .Or(Superpower.Parse.Ref(() => PowerChain!));

    // Left-associative ^ whose right operand may be a negated exponent.
    private static readonly TokenListParser<FormulaToken, FormulaSyntax> PowerChain =
        from first in Primary
        from rest in (from op in Token.EqualTo(FormulaToken.Caret)
                      from right in Exponent
                      select (op, right)).Many()
        select rest.Aggregate(first, (left, next) => MakeBinary(next.op, left, next.right));

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Multiplicative =
        Superpower.Parse.Chain(Token.EqualTo(FormulaToken.Star).Or(Token.EqualTo(FormulaToken.Slash)), Unary, MakeBinary);

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Additive =
        Superpower.Parse.Chain(Token.EqualTo(FormulaToken.Plus).Or(Token.EqualTo(FormulaToken.Minus)).Or(Token.EqualTo(FormulaToken.Ampersand)),
            Multiplicative, MakeBinary);

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Comparison =
        Superpower.Parse.Chain(
            Token.EqualTo(FormulaToken.Equal).Or(Token.EqualTo(FormulaToken.NotEqual))
                .Or(Token.EqualTo(FormulaToken.LessOrEqual)).Or(Token.EqualTo(FormulaToken.GreaterOrEqual))
                .Or(Token.EqualTo(FormulaToken.Less)).Or(Token.EqualTo(FormulaToken.Greater)),
            Additive, MakeBinary);

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Conjunction =
        Superpower.Parse.Chain(Token.EqualTo(FormulaToken.AndAlso), Comparison, MakeBinary);

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Expression =
        Superpower.Parse.Chain(Token.EqualTo(FormulaToken.OrElse), Conjunction, MakeBinary);

    private static readonly TokenListParser<FormulaToken, FormulaSyntax> Complete = Expression.AtEnd();

    public static FormulaSyntax Parse(string formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        var tokens = Tokenizer.TryTokenize(formula);
        if (!tokens.HasValue)
        {
            var position = tokens.ErrorPosition;
            var at = position.HasValue ? position.Absolute : 0;
            var found = at < formula.Length ? formula[at] : ' ';
            var text = found is '\'' or '"'
                ? $"Error: Syntax error. Missing {found}"
                : $"Error: Syntax error. Found '{found}'";
            throw FormulaException.At(new FormulaSpan(at, 1, position.HasValue ? position.Line : 1, position.HasValue ? position.Column : 1), text);
        }

        var list = tokens.Value;
        if (list.IsAtEnd)
        {
            throw FormulaException.At(End(formula), "Error: Syntax error. The formula is empty");
        }

        var result = Complete(list);
        if (result.HasValue)
        {
            return result.Value;
        }

        var expectsClose = result.Expectations?.Any(e => e.Contains("`)`", StringComparison.Ordinal)) == true;
        if (result.Location.IsAtEnd)
        {
            throw FormulaException.At(End(formula), expectsClose ? "Error: Syntax error. Missing ')'" : "Error: Syntax error. Unexpected end of formula");
        }

        var token = result.Location.First();
        var span = SpanOf(token);
        var message = token.Kind switch
        {
            FormulaToken.RParen when !expectsClose => "Error: Syntax error. Extra ')'",
            FormulaToken.Comma when !expectsClose => "Error: Syntax error. Extra ','",
            _ when expectsClose => "Error: Syntax error. Missing ')'",
            _ => $"Error: Syntax error. Found '{token.ToStringValue()}'",
        };
        throw FormulaException.At(span, message);
    }

    private static FormulaSpan End(string formula)
    {
        var line = 1;
        var column = 1;
        foreach (var c in formula)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new FormulaSpan(formula.Length, 1, line, column);
    }

    private static string Unescape(string quoted)
    {
        var body = quoted.AsSpan(1, quoted.Length - 2);
        if (!body.Contains('\\'))
        {
            return body.ToString();
        }

        var builder = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                builder.Append(c);
                continue;
            }

            var next = body[++i];
            builder.Append(next switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'b' => '\b',
                'f' => '\f',
                _ => next,
            });
        }

        return builder.ToString();
    }
}
