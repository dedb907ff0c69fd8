using System.Text;

namespace ParamServer.Psctl.Status;

/// <summary>
/// A plain-text table: a header row and data rows, columns padded to their widest cell and separated by two
/// spaces. Columns whose header is in <see cref="RightAligned"/> are right-aligned (numbers).
/// </summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    public HashSet<string> RightAligned { get; } = new(StringComparer.Ordinal);

    public int RowCount => _rows.Count;

    public TextTable AlignRight(params string[] headers)
    {
        RightAligned.UnionWith(headers);
        return this;
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException(
                $"Row has {cells.Length} cells; the table has {_headers.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(StringBuilder output, string indent = "")
    {
        var widths = new int[_headers.Length];
        for (int c = 0; c < _headers.Length; c++)
        {
            widths[c] = Math.Max(_headers[c].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[c].Length));
        }

        WriteRow(output, indent, _headers, widths);
        foreach (string[] row in _rows)
        {
            WriteRow(output, indent, row, widths);
        }
    }

    private void WriteRow(StringBuilder output, string indent, string[] cells, int[] widths)
    {
        var line = new StringBuilder(indent);
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }

            bool right = RightAligned.Contains(_headers[c]);
            line.Append(right ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }

        output.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
