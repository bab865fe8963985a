using System.Globalization;
using SfCompanion.Emulator.Model;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using Superpower.Tokenizers;

namespace SfCompanion.Emulator.Soql;

internal enum SoqlToken
{
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    LParen,
    RParen,
    Comma,
    Dot,
    Colon,
    Equal,
    NotEqual,
    LessOrEqual,
    GreaterOrEqual,
    Less,
    Greater,
    Star,
}

/// <summary>The SOQL subset the emulator answers, as Superpower parser combinators. Anything else is MALFORMED_QUERY.</summary>
internal static class SoqlParser
{
    private static readonly Tokenizer<SoqlToken> Tokenizer = new TokenizerBuilder<SoqlToken>()
        .Ignore(Span.WhiteSpace)
        .Match(Span.Regex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})"), SoqlToken.DateTime)
        .Match(Span.Regex(@"\d{4}-\d{2}-\d{2}"), SoqlToken.Date)
        .Match(Span.Regex(@"[+-]?\d+(\.\d+)?"), SoqlToken.Number)
        .Match(Span.Regex(@"'(?:[^'\\]|\\.)*'"), SoqlToken.String)
        .Match(Span.Regex(@"[A-Za-z_][A-Za-z0-9_]*"), SoqlToken.Identifier)
        .Match(Span.EqualTo("!="), SoqlToken.NotEqual)
        .Match(Span.EqualTo("<>"), SoqlToken.NotEqual)
        .Match(Span.EqualTo("<="), SoqlToken.LessOrEqual)
        .Match(Span.EqualTo(">="), SoqlToken.GreaterOrEqual)
        .Match(Character.EqualTo('<'), SoqlToken.Less)
        .Match(Character.EqualTo('>'), SoqlToken.Greater)
        .Match(Character.EqualTo('='), SoqlToken.Equal)
        .Match(Character.EqualTo('('), SoqlToken.LParen)
        .Match(Character.EqualTo(')'), SoqlToken.RParen)
        .Match(Character.EqualTo(','), SoqlToken.Comma)
        .Match(Character.EqualTo('.'), SoqlToken.Dot)
        .Match(Character.EqualTo(':'), SoqlToken.Colon)
        .Match(Character.EqualTo('*'), SoqlToken.Star)
        .Build();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "INCLUDES", "EXCLUDES", "ORDER", "BY", "ASC", "DESC", "NULLS",
        "LIMIT", "OFFSET", "GROUP", "HAVING", "WITH", "FOR", "USING", "TYPEOF", "NULL", "TRUE", "FALSE",
    };

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GROUP"] = "GROUP BY",
        ["HAVING"] = "HAVING",
        ["WITH"] = "WITH clauses",
        ["FOR"] = "FOR VIEW/REFERENCE/UPDATE",
        ["USING"] = "USING SCOPE",
        ["TYPEOF"] = "TYPEOF",
        ["SELECT"] = "subqueries",
        ["FIELDS"] = "FIELDS()",
        ["UPDATE"] = "UPDATE TRACKING/VIEWSTAT",
    };

    private static TokenListParser<SoqlToken, Token<SoqlToken>> Keyword(string keyword) =>
        Token.EqualToValueIgnoreCase(SoqlToken.Identifier, keyword);

    private static readonly TokenListParser<SoqlToken, string> Name =
        Token.EqualTo(SoqlToken.Identifier).Where(t => !Reserved.Contains(t.ToStringValue()), "field name").Select(t => t.ToStringValue());

    private static readonly TokenListParser<SoqlToken, FieldPath> Path =
        Name.AtLeastOnceDelimitedBy(Token.EqualTo(SoqlToken.Dot)).Select(parts => new FieldPath(parts));

    private static readonly TokenListParser<SoqlToken, bool> CountStar =
        (from _ in Keyword("COUNT").Try()
         from open in Token.EqualTo(SoqlToken.LParen)
         from close in Token.EqualTo(SoqlToken.RParen)
         select true).Try();

    private static readonly TokenListParser<SoqlToken, SoqlLiteral> Literal =
        Token.EqualTo(SoqlToken.String).Select(t => new SoqlLiteral(LiteralKind.String, Unescape(t.ToStringValue())))
        .Or(Token.EqualTo(SoqlToken.Number).Select(t => new SoqlLiteral(LiteralKind.Number, decimal.Parse(t.ToStringValue(), NumberStyles.Float, CultureInfo.InvariantCulture))))
        .Or(Token.EqualTo(SoqlToken.DateTime).Select(t => new SoqlLiteral(LiteralKind.DateTime, ParseDateTime(t.ToStringValue()))))
        .Or(Token.EqualTo(SoqlToken.Date).Select(t => new SoqlLiteral(LiteralKind.Date, DateOnly.ParseExact(t.ToStringValue(), "yyyy-MM-dd", CultureInfo.InvariantCulture))))
        .Or(Keyword("TRUE").Value(new SoqlLiteral(LiteralKind.Boolean, true)))
        .Or(Keyword("FALSE").Value(new SoqlLiteral(LiteralKind.Boolean, false)))
        .Or(Keyword("NULL").Value(new SoqlLiteral(LiteralKind.Null, null)))
        .Or(from name in Token.EqualTo(SoqlToken.Identifier).Where(t => DateLiterals.IsKnown(t.ToStringValue()), "date literal")
            from n in Token.EqualTo(SoqlToken.Colon).IgnoreThen(Token.EqualTo(SoqlToken.Number)).OptionalOrDefault()
            select new SoqlLiteral(LiteralKind.DateFunction, name.ToStringValue().ToUpperInvariant(),
                n.HasValue ? int.Parse(n.ToStringValue(), CultureInfo.InvariantCulture) : 0));

    private static readonly TokenListParser<SoqlToken, IReadOnlyList<SoqlLiteral>> LiteralList =
        Literal.AtLeastOnceDelimitedBy(Token.EqualTo(SoqlToken.Comma))
            .Between(Token.EqualTo(SoqlToken.LParen), Token.EqualTo(SoqlToken.RParen))
            .Select(items => (IReadOnlyList<SoqlLiteral>)items);

    private static readonly TokenListParser<SoqlToken, string> ComparisonOperator =
        Token.EqualTo(SoqlToken.Equal).Value("=")
        .Or(Token.EqualTo(SoqlToken.NotEqual).Value("!="))
        .Or(Token.EqualTo(SoqlToken.LessOrEqual).Value("<="))
        .Or(Token.EqualTo(SoqlToken.GreaterOrEqual).Value(">="))
        .Or(Token.EqualTo(SoqlToken.Less).Value("<"))
        .Or(Token.EqualTo(SoqlToken.Greater).Value(">"))
        .Or(Keyword("LIKE").Value("LIKE"));

    private static readonly TokenListParser<SoqlToken, string> SetOperator =
        Keyword("IN").Value("IN")
        .Or(Keyword("NOT").IgnoreThen(Keyword("IN")).Value("NOT IN").Try())
        .Or(Keyword("INCLUDES").Value("INCLUDES"))
        .Or(Keyword("EXCLUDES").Value("EXCLUDES"));

    private static readonly TokenListParser<SoqlToken, SoqlCondition> Comparison =
        from field in Path
        from condition in ComparisonOperator.Then(op => Literal.Select(v => (SoqlCondition)new ComparisonCondition(field, op, v)))
            .Or(SetOperator.Then(op => LiteralList.Select(v => (SoqlCondition)new SetCondition(field, op, v))))
        select condition;

    private static readonly TokenListParser<SoqlToken, SoqlCondition> Primary =
        Superpower.Parse.Ref(() => Condition!).Between(Token.EqualTo(SoqlToken.LParen), Token.EqualTo(SoqlToken.RParen))
        .Or(Keyword("NOT").IgnoreThen(Superpower.Parse.Ref(() => Primary!)).Select(c => (SoqlCondition)new NotCondition(c)))
        .Or(Comparison);

    // SOQL refuses AND and OR side by side without parentheses, so a chain uses one of them only.
    private static readonly TokenListParser<SoqlToken, SoqlCondition> Condition =
        from first in Primary
        from rest in Keyword("AND").IgnoreThen(Primary).AtLeastOnce().Select(items => (SoqlCondition)new AndCondition([first, .. items]))
            .Or(Keyword("OR").IgnoreThen(Primary).AtLeastOnce().Select(items => (SoqlCondition)new OrCondition([first, .. items])))
            .OptionalOrDefault(first)
        select rest;

    private static readonly TokenListParser<SoqlToken, OrderItem> OrderItemParser =
        from field in Path
        from direction in Keyword("ASC").Value(false).Or(Keyword("DESC").Value(true)).OptionalOrDefault(false)
        from nulls in Keyword("NULLS").IgnoreThen(Keyword("FIRST").Value((bool?)true).Or(Keyword("LAST").Value((bool?)false))).OptionalOrDefault(null)
        select new OrderItem(field, direction, nulls);

    private static readonly TokenListParser<SoqlToken, int> Integer =
        Token.EqualTo(SoqlToken.Number).Where(t => int.TryParse(t.ToStringValue(), NumberStyles.None, CultureInfo.InvariantCulture, out _), "integer")
            .Select(t => int.Parse(t.ToStringValue(), CultureInfo.InvariantCulture));

    private static readonly TokenListParser<SoqlToken, SoqlQuery> Query =
        from selectKeyword in Keyword("SELECT")
        from items in CountStar.Select(_ => (IReadOnlyList<FieldPath>?)null)
            .Or(Path.AtLeastOnceDelimitedBy(Token.EqualTo(SoqlToken.Comma)).Select(p => (IReadOnlyList<FieldPath>?)p))
        from fromKeyword in Keyword("FROM")
        from obj in Name
        from condition in Keyword("WHERE").IgnoreThen(Condition).Select(c => (SoqlCondition?)c).OptionalOrDefault()
        from orderBy in Keyword("ORDER").IgnoreThen(Keyword("BY")).IgnoreThen(OrderItemParser.AtLeastOnceDelimitedBy(Token.EqualTo(SoqlToken.Comma)))
            .OptionalOrDefault([])
        from limit in Keyword("LIMIT").IgnoreThen(Integer).Select(n => (int?)n).OptionalOrDefault()
        from offset in Keyword("OFFSET").IgnoreThen(Integer).Select(n => (int?)n).OptionalOrDefault()
        select new SoqlQuery(items ?? [], items is null, obj, condition, orderBy, limit, offset);

    private static readonly TokenListParser<SoqlToken, SoqlQuery> Complete = Query.AtEnd();

    public static SoqlQuery Parse(string soql)
    {
        var tokens = Tokenizer.TryTokenize(soql);
        if (!tokens.HasValue)
        {
            throw Malformed(soql, tokens.ErrorPosition, tokens.ToString());
        }

        var list = tokens.Value;
        var result = Complete(list);
        if (result.HasValue)
        {
            return result.Value;
        }

        var tokenArray = list.ToArray();
        var index = result.Location.IsAtEnd ? tokenArray.Length : result.Location.Position;
        var message = result.ToString();
        if (index < tokenArray.Length)
        {
            var token = tokenArray[index];
            var text = token.ToStringValue();
            if (token.Kind == SoqlToken.Identifier && Unsupported.TryGetValue(text, out var feature))
            {
                message = $"unexpected token: '{text}': {feature} is not supported by the emulator";
            }
            else if (token.Kind == SoqlToken.LParen && index > 0 && tokenArray[index - 1].Kind == SoqlToken.Identifier)
            {
                var function = tokenArray[index - 1].ToStringValue();
                message = index + 1 < tokenArray.Length && tokenArray[index + 1].ToStringValue().Equals("SELECT", StringComparison.OrdinalIgnoreCase)
                    ? "unexpected token: '(': subqueries are not supported by the emulator"
                    : $"unexpected token: '(': function {function.ToUpperInvariant()}() is not supported by the emulator";
            }
            else if (token.Kind == SoqlToken.LParen && index + 1 < tokenArray.Length && tokenArray[index + 1].ToStringValue().Equals("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                message = "unexpected token: '(': subqueries are not supported by the emulator";
            }
            else if (token.Kind == SoqlToken.Colon)
            {
                message = "unexpected token: ':': bind variables are not supported";
            }
            else if (token.Kind == SoqlToken.Identifier && (text.Equals("OR", StringComparison.OrdinalIgnoreCase) || text.Equals("AND", StringComparison.OrdinalIgnoreCase)))
            {
                message = $"unexpected token: '{text}': mixing AND and OR needs parentheses";
            }
            else
            {
                message = $"unexpected token: '{text}' ({message})";
            }

            throw Malformed(soql, token.Position, message);
        }

        throw Malformed(soql, Position.Empty, $"unexpected end of query ({message})");
    }

    private static SalesforceApiException Malformed(string soql, Position position, string message)
    {
        var where = position.HasValue ? $"\nERROR at Row:{position.Line}:Column:{position.Column}\n" : "\n";
        return new SalesforceApiException("MALFORMED_QUERY", $"\n{soql}{where}{message}");
    }

    private static string Unescape(string quoted)
    {
        var inner = quoted[1..^1];
        if (!inner.Contains('\\', StringComparison.Ordinal))
        {
            return inner;
        }

        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                var next = inner[++i];
                builder.Append(next switch
                {
                    'n' => "\n",
                    'r' => "\r",
                    't' => "\t",
                    'b' => "\b",
                    'f' => "\f",
                    // LIKE wildcards stay escaped so the LIKE matcher can tell them from real wildcards.
                    '%' or '_' => "\\" + next,
                    _ => next.ToString(),
                });
            }
            else
            {
                builder.Append(inner[i]);
            }
        }

        return builder.ToString();
    }

    private static DateTimeOffset ParseDateTime(string text) =>
        FieldValues.TryParseDateTime(text, out var value) ? value : throw new FormatException(text);
}
