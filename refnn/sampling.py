"""Reading an image at points given in [-1, 1]: the seed's ``grid_sample``, with its gradient.

The seed: the image is normalised to the square (-1, 1)×(-1, 1), and an
output pixel takes the value of the input at the point the grid names.
:class:`GridSample` is a Function: the gradient goes back to the pixels
that were read (each by the weight it had) and to the grid (how the value
changes as the point moves); ``refnn.nn.functional.grid_sample`` calls it.

>>> from refnn.tensors import tensor
>>> image = tensor([[[[10.0, 20.0, 30.0, 40.0]]]], requires_grad=True)
>>> grid = tensor([[[[-0.5, 0.0]]]], requires_grad=True)          # pixel 0.5 of 0..3
>>> out = grid_sample(image, grid, align_corners=False)
>>> out
tensor([[[[15.0]]]], grad_fn=<GridSampleBackward>)
>>> out.sum().backward()
>>> image.grad                 # half of pixel 0, half of pixel 1
tensor([[[[0.5, 0.5, 0.0, 0.0]]]])

Moving the point right by 1 in x is 2 pixels (W/2), each 10 more; moving
it down reads more of the zeros below the one-row image:

>>> grid.grad
tensor([[[[20.0, -7.5]]]])
"""
import math

from refnn import tensors
from refnn._checks import _bool, _is_number, _is_sequence, _isfinite, _shape, ShapeError
from refnn._nested import _flatten
from refnn.autograd import Function

__all__ = ["GridSample", "grid_sample"]

_MODES = ("bilinear", "nearest")
_PADDING_MODES = ("zeros", "border", "reflection")


def _source(coord, size, padding_mode, align_corners):
    """(x, dx/dcoord): the pixel position a grid coordinate points at, [-1, 1] stretched, then padded."""
    if align_corners:
        x, slope = (coord + 1) * (size - 1) / 2, (size - 1) / 2   # -1 → 0, 1 → size-1: corner centres
        low, high = 0, size - 1
    else:
        x, slope = ((coord + 1) * size - 1) / 2, size / 2          # -1 → -0.5, 1 → size-0.5: outer edges
        low, high = -0.5, size - 0.5
    if not math.isfinite(x):
        raise ValueError(f"grid_sample: the grid point {coord!r} lies too far out: its pixel position "
                         f"overflows a float")
    if padding_mode == "reflection":
        x, turn = _reflect(x, low, high)
        slope *= turn
    if padding_mode != "zeros":
        if x <= 0 or x >= size - 1:            # what is still outside reads the border pixel
            x, slope = min(max(x, 0.0), size - 1.0), 0.0
    return x, slope


def _reflect(x, low, high):
    """(x mirrored at low and at high until it lies between them, ±1: the direction it then moves)."""
    span = high - low
    if span == 0:
        return low, 0.0
    d = abs(x - low) % (2 * span)              # where x falls in one there-and-back period
    direction = 1.0 if x >= low else -1.0
    if d <= span:
        return low + d, direction               # on the way there
    return low + 2 * span - d, -direction       # the way back mirrors the way there


def _pixel(plane, i, j):
    """plane[i][j], or 0 outside the image."""
    return plane[i][j] if 0 <= i < len(plane) and 0 <= j < len(plane[0]) else 0


def _corners(x, y):
    """The four pixels around (x, y) with their weights: the area of the rectangle opposite each."""
    x0, y0 = math.floor(x), math.floor(y)
    dx, dy = x - x0, y - y0
    return ((y0, x0, (1 - dy) * (1 - dx)), (y0, x0 + 1, (1 - dy) * dx),
            (y0 + 1, x0, dy * (1 - dx)), (y0 + 1, x0 + 1, dy * dx)), dx, dy


def _bilinear(plane, x, y):
    corners, _, _ = _corners(x, y)
    return sum(_pixel(plane, i, j) * w for i, j, w in corners)


def _nearest(plane, x, y):
    return _pixel(plane, round(y), round(x))   # round() rounds half to even, as nearbyint does


class GridSample(Function):
    """out = input read at the grid's points; the gradient goes to the pixels read and to the points.

    Bilinear: v = Σ pixel·weight over the four pixels around (x, y), so
    ∂v/∂pixel = its weight, and ∂v/∂x = (1−dy)(p01 − p00) + dy(p11 − p10)
    (likewise for y), times dx/dcoord = (W−1)/2 or W/2.  Nearest: the
    gradient goes to the pixel read; the points get none.

    >>> from refnn.tensors import tensor
    >>> image = tensor([[[[1.0, 3.0]]]], requires_grad=True)
    >>> grid_sample(image, tensor([[[[0.0, 0.0]]]]), align_corners=True).sum().backward()
    >>> image.grad
    tensor([[[[0.5, 0.5]]]])
    """

    @staticmethod
    def forward(ctx, input, grid, mode, padding_mode, align_corners):
        h, w = ctx.input_shapes[0][2:]
        ctx.output_shape = ctx.input_shapes[0][:2] + ctx.input_shapes[1][1:3]
        read = _bilinear if mode == "bilinear" else _nearest
        points, out = [], []
        for image, rows in zip(input, grid):
            at = [[_source(x, w, padding_mode, align_corners) + _source(y, h, padding_mode, align_corners)
                   for x, y in row] for row in rows]
            points.append(at)
            out.append([[[read(plane, x, y) for x, _, y, _ in row] for row in at] for plane in image])
        ctx.save_for_backward(input, points)
        ctx.mode, ctx.dims = mode, ctx.input_shapes[0]
        return out

    @staticmethod
    def backward(ctx, grad):
        input, points = ctx.saved_tensors
        n, c, h, w = ctx.dims
        grad_input = [[[[0.0] * w for _ in range(h)] for _ in range(c)] for _ in range(n)]
        grad_grid = []
        for k, (image, at) in enumerate(zip(input, points)):
            rows = []
            for r, row in enumerate(at):
                cells = []
                for q, (x, sx, y, sy) in enumerate(row):
                    gx = gy = 0.0
                    for ch, plane in enumerate(image):
                        g = grad[k][ch][r][q]
                        if ctx.mode == "nearest":
                            i, j = round(y), round(x)
                            if 0 <= i < h and 0 <= j < w:
                                grad_input[k][ch][i][j] += g
                            continue
                        corners, dx, dy = _corners(x, y)
                        for i, j, weight in corners:
                            if 0 <= i < h and 0 <= j < w:
                                grad_input[k][ch][i][j] += g * weight
                        (p00, p01, p10, p11) = (_pixel(plane, i, j) for i, j, _ in corners)
                        gx += g * ((1 - dy) * (p01 - p00) + dy * (p11 - p10))
                        gy += g * ((1 - dx) * (p10 - p00) + dx * (p11 - p01))
                    cells.append([gx * sx, gy * sy])
                rows.append(cells)
            grad_grid.append(rows)
        need = ctx.needs_input_grad
        return (grad_input if need[0] else None), (grad_grid if need[1] else None), None, None, None


def _as_tensor(x):
    if isinstance(x, tensors.Tensor):
        return x
    if not (_is_number(x) or _is_sequence(x)):
        raise TypeError(f"grid_sample: expected a Tensor or a nested list, got {type(x).__name__}")
    _shape("grid_sample", x)
    return tensors.Tensor(x)


def _grid_input(input):
    dims = input.shape
    if len(dims) != 4:
        raise ShapeError(f"grid_sample: input must have shape (N, C, H, W), got {dims}")
    if 0 in dims[2:]:
        raise ShapeError(f"grid_sample: input of shape {dims} has no pixels to read (H or W is 0)")
    return dims


def _grid_points(grid, n):
    dims = grid.shape
    if len(dims) != 4 or dims[3] != 2:
        raise ShapeError(f"grid_sample: grid must have shape (N, H_out, W_out, 2), got {dims}")
    if dims[0] != n:
        raise ShapeError(f"grid_sample: grid of shape {dims} and input with N = {n} differ in N")
    for v in _flatten(grid._value, dims):
        if not _isfinite(v):
            raise ValueError(f"grid_sample: grid holds {v!r}; sample points must be finite")
    return dims


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    """output[n][c][h][w] = input[n][c] read at the point grid[n][h][w] = (x, y), given in [-1, 1].

    The seed: the image is normalised to the square (-1, 1)×(-1, 1), and
    output pixel (x, y) takes the value of input pixel (x0, y0), where
    grid[x, y] = (x0, y0) says where to look.  ``input`` is (N, C, H, W),
    ``grid`` is (N, H_out, W_out, 2) with ``grid[..., 0]`` the x (width)
    coordinate and ``grid[..., 1]`` the y (height) one; the output is
    (N, C, H_out, W_out).

    Where do -1 and 1 land on a row of W = 4 pixels?  With
    ``align_corners=True`` on the centres of the corner pixels; with
    ``align_corners=False`` (the default) on the outer edges of the image,
    pixel -0.5 and pixel 3.5, so that the whole image spans [-1, 1].  The x
    at each pixel centre::

        pixel                       0      1      2      3
        value                      10     20     30     40
        x, align_corners=True      -1   -1/3    1/3      1
        x, align_corners=False   -3/4   -1/4    1/4    3/4

    >>> row = [[[[10, 20, 30, 40]]]]                   # N = C = H = 1, W = 4
    >>> points = [[[[-1, 0], [-0.5, 0], [0, 0], [1, 0]]]]
    >>> grid_sample(row, points, align_corners=True)   # pixels 0, 0.75, 1.5, 3
    [[[[10.0, 17.5, 25.0, 40.0]]]]
    >>> grid_sample(row, [[[[-1, 0], [-0.75, 0], [0.75, 0], [1, 0]]]])
    [[[[5.0, 10.0, 40.0, 20.0]]]]

    With ``align_corners=False``, -1 is half inside pixel 0 and half outside
    the image, so bilinear reading mixes 10 with a zero from outside.
    ``padding_mode`` says what lies outside: ``"zeros"``; ``"border"``, the
    nearest edge pixel; ``"reflection"``, the image mirrored at its edges
    (again and again, far out).

    >>> far = [[[[-1, 0], [1.5, 0], [-3.5, 0]]]]
    >>> [grid_sample(row, far, padding_mode=p)[0][0][0] for p in ("zeros", "border", "reflection")]
    [[5.0, 0.0, 0.0], [10.0, 40.0, 10.0], [10.0, 35.0, 35.0]]

    ``mode="nearest"`` takes the pixel nearest the point; a point exactly
    half-way rounds to the even pixel, as PyTorch's ``nearbyint`` does
    (x = 0 is pixel 1.5, read from pixel 2; x = -0.5 is pixel 0.5, read from 0):

    >>> grid_sample(row, [[[[0, 0], [-0.5, 0]]]], mode="nearest")
    [[[[30, 10]]]]

    Differences from PyTorch: int pixels stay ints under ``"nearest"``
    (PyTorch wants floats), ``mode="bicubic"`` is not implemented, the grid
    must hold finite numbers, and ``align_corners`` defaults to False without
    PyTorch's warning.

    >>> grid_sample(row, points, mode="bicubic")
    Traceback (most recent call last):
        ...
    ValueError: grid_sample: mode must be 'bilinear' or 'nearest', got 'bicubic'
    >>> grid_sample(row, [[[0, 0]]])
    Traceback (most recent call last):
        ...
    refnn.matrix.ShapeError: grid_sample: grid must have shape (N, H_out, W_out, 2), got (1, 1, 2)
    >>> grid_sample(row, [[[[1e308, 0]]]])
    Traceback (most recent call last):
        ...
    ValueError: grid_sample: the grid point 1e+308 lies too far out: its pixel position overflows a float
    """
    x, g = _as_tensor(input), _as_tensor(grid)
    n, c, h, w = _grid_input(x)
    _grid_points(g, n)
    if mode not in _MODES:
        raise ValueError(f"grid_sample: mode must be 'bilinear' or 'nearest', got {mode!r}")
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"grid_sample: padding_mode must be 'zeros', 'border' or 'reflection', "
                         f"got {padding_mode!r}")
    _bool("grid_sample", "align_corners", align_corners)
    out = GridSample.apply(x, g, mode, padding_mode, align_corners)
    return out if isinstance(input, tensors.Tensor) or isinstance(grid, tensors.Tensor) else out._value
