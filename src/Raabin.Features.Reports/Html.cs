using System.Globalization;
using System.Net;

namespace Raabin.Features.Reports;

/// <summary>Escaping and number formatting for the page (invariant culture).</summary>
internal static class Html
{
    public static string Text(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);

    public static string Attr(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);

    public static string F(double v, string format = "F4") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    public static string Interval(double estimate, double lower, double upper) => $"{F(estimate)} [{F(lower)}, {F(upper)}]";
}
