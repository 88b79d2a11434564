namespace HierReason.Core.Tasks;

/// <summary>How a cell of a 4×4 sudoku was deduced: the units that pin it down.</summary>
public enum ShidokuReason : byte
{
    Row, Col, Box, RowCol, RowBox, ColBox, RowColBox,
    OnlyInRow, OnlyInCol, OnlyInBox,
}

/// <summary>One deduced cell: row and column (0-based), digit and why.</summary>
public readonly record struct ShidokuStep(int Row, int Col, int Digit, ShidokuReason Reason);
