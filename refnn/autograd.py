"""Autograd: every operation remembers how it was made, and ``backward()`` runs the chain rule back.

Chapter 4 back-propagates by hand: the output's delta, then each earlier
layer's, each from the one after it.  Autograd does the same bookkeeping
for any computation.  Every differentiable operation is a
:class:`Function` with two static methods side by side, as in PyTorch's
``torch.autograd.Function``:

* ``forward(ctx, *inputs)`` computes the output from the inputs' values and
  keeps in ``ctx`` what the derivative will need (``ctx.save_for_backward``);
* ``backward(ctx, grad_output)`` turns ∂loss/∂output into ∂loss/∂input, one
  gradient per input: the local derivative times the gradient that arrives
  (the chain rule).

``Function.apply`` runs ``forward`` and, when an input requires a gradient,
records the step: the output's ``grad_fn`` is the step's context, which
knows its inputs.  :meth:`Tensor.backward <refnn.tensors.Tensor.backward>`
then visits the recorded steps from the output back to the inputs (reverse
topological order) and adds each leaf's gradient into its ``.grad``.

A Function of one input, y = x², with its derivative 2x beside it:

>>> from refnn.tensors import tensor
>>> class Square(Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x * x
...
...     @staticmethod
...     def backward(ctx, grad_output):
...         x, = ctx.saved_tensors
...         return 2 * x * grad_output          # d(x²)/dx = 2x, times what arrives
>>> x = tensor(3.0, requires_grad=True)
>>> y = Square.apply(x)
>>> y, y.grad_fn.name()
(tensor(9.0, grad_fn=<SquareBackward>), 'SquareBackward')
>>> y.backward()
>>> x.grad
tensor(6.0)

The values a Function sees are plain Python: a number for a 0-d tensor,
nested lists of numbers otherwise (floats, ints, Fractions or sympy
expressions alike); ``backward`` returns the gradients in the same form,
``None`` for an input that needs none (``ctx.needs_input_grad`` says which).

Inside ``with no_grad():`` nothing is recorded, as when an optimizer
changes the weights:

>>> with no_grad():
...     z = Square.apply(x)
>>> z.requires_grad, z.grad_fn
(False, None)

The graph is used once: ``backward`` frees what the steps saved, and a
second ``backward`` through them raises PyTorch's error (unless the first
was called with ``retain_graph=True``):

>>> y.backward()
Traceback (most recent call last):
    ...
RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors after \
they have already been freed). Saved intermediate values of the graph are freed when you call .backward() \
or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or \
if you need to access saved tensors after calling backward.
"""
from refnn import tensors
from refnn._nested import _clone

__all__ = ["Function", "FunctionCtx", "AccumulateGrad", "backward", "gradients", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled"]

_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors after they "
          "have already been freed). Saved intermediate values of the graph are freed when you call "
          ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
          "graph a second time or if you need to access saved tensors after calling backward.")


# --- recording on and off ------------------------------------------------

_grad_enabled = [True]      # one switch for the whole program, as PyTorch's (per thread there)


def is_grad_enabled():
    """True when operations on tensors that require grad are recorded (the default).

    >>> is_grad_enabled()
    True
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return _grad_enabled[0]


class set_grad_enabled:
    """Recording on (``True``) or off (``False``) inside a ``with`` block; back as it was after.

    >>> with set_grad_enabled(False):
    ...     is_grad_enabled()
    False
    >>> is_grad_enabled()
    True
    """

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled: mode must be True or False, got {type(mode).__name__}")
        self.mode = mode

    def __enter__(self):
        self.before, _grad_enabled[0] = _grad_enabled[0], self.mode

    def __exit__(self, *exc):
        _grad_enabled[0] = self.before

    def __call__(self, fn):
        """Use as a decorator: fn runs with recording set to mode.

        >>> @no_grad()
        ... def evaluate():
        ...     return is_grad_enabled()
        >>> evaluate()
        False
        """
        if not callable(fn):
            raise TypeError(f"set_grad_enabled ({type(self).__name__}): a decorator needs a function, "
                            f"got {type(fn).__name__}")

        def run(*args, **kwargs):
            with type(self)(*self._args()):
                return fn(*args, **kwargs)
        run.__name__, run.__doc__ = fn.__name__, fn.__doc__
        return run

    def _args(self):
        return (self.mode,)


class no_grad(set_grad_enabled):
    """Record nothing inside the block: for evaluating a model and for an optimizer's updates.

    >>> from refnn.tensors import tensor
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     v = w * 2
    >>> v.requires_grad
    False
    """

    def __init__(self):
        super().__init__(False)

    def _args(self):
        return ()


class enable_grad(set_grad_enabled):
    """Record again inside a block of :class:`no_grad`.

    >>> with no_grad():
    ...     with enable_grad():
    ...         is_grad_enabled()
    True
    """

    def __init__(self):
        super().__init__(True)

    def _args(self):
        return ()


# --- a Function and its context -------------------------------------------

class FunctionCtx:
    """What one application of a Function keeps for its backward; it is also the output's ``grad_fn``.

    ``save_for_backward(*values)`` keeps values; ``saved_tensors`` hands them
    back once (``backward`` frees them).  ``needs_input_grad[i]`` is True when
    input i requires a gradient, so a backward can skip the work for the rest.
    ``next_functions`` are the steps that made the inputs: the graph.

    >>> from refnn.tensors import tensor
    >>> a, b = tensor(2.0, requires_grad=True), tensor(3.0)
    >>> y = a * b
    >>> y.grad_fn.needs_input_grad
    (True, False)
    >>> y.grad_fn.next_functions
    ((<AccumulateGrad>, 0), (None, 0))
    """

    def __init__(self, function, inputs):
        self.function = function
        self.needs_input_grad = tuple(isinstance(t, tensors.Tensor) and t.requires_grad for t in inputs)
        # Where each input's gradient goes: the step that made it, a leaf's .grad, or nowhere.
        self._next = tuple(_edge(t) if needed else None for t, needed in zip(inputs, self.needs_input_grad))
        self._saved, self._freed = (), False
        # The value this step made (the output's numbers, not a copy), for showing the graph
        # (refnn.explain.graph); freed with the saved values.
        self.output = None
        # The shapes of the tensor inputs (None for other arguments).  A value shows its shape except
        # when empty: [] may be (0,) or (0, 3).  A forward that makes an empty result of a known shape
        # sets output_shape.
        self.input_shapes = tuple(t._shape if isinstance(t, tensors.Tensor) else None for t in inputs)
        self.output_shape = None

    def save_for_backward(self, *values):
        """Keep values (an input, the output, anything) for ``backward``.

        >>> ctx = FunctionCtx(Function, ())
        >>> ctx.save_for_backward([1, 2], 3)
        >>> ctx.saved_tensors
        ([1, 2], 3)
        """
        self._saved = values

    @property
    def saved_tensors(self):
        """The values ``forward`` saved, as a tuple; PyTorch's error once ``backward`` has freed them."""
        if self._freed:
            raise RuntimeError(_FREED)
        return self._saved

    @property
    def next_functions(self):
        """(step, 0) per input: the context that made it, an AccumulateGrad for a leaf, or None."""
        return tuple((edge, 0) for edge in self._next)

    def name(self):
        """The name PyTorch gives the step: the Function's name followed by ``Backward``.

        >>> from refnn.tensors import tensor
        >>> (tensor([1.0], requires_grad=True) * 2).grad_fn.name()
        'MulBackward'
        """
        return f"{self.function.__name__}Backward"

    def __repr__(self):
        return f"<{self.name()}>"

    def _free(self):
        """Drop what was saved: the graph's values go, its structure stays (PyTorch's rule)."""
        self.output = None
        if self._saved:
            self._saved, self._freed = (), True


class AccumulateGrad:
    """The end of an edge at a leaf: the gradient that arrives is added into the leaf's ``.grad``.

    >>> from refnn.tensors import tensor
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> (w * 3).grad_fn.next_functions[0][0].variable is w
    True
    """

    def __init__(self, variable):
        self.variable = variable

    def __repr__(self):
        return "<AccumulateGrad>"


def _edge(t):
    """Where a gradient for tensor t goes: the step that made it, or (a leaf) its AccumulateGrad."""
    return t.grad_fn if t.grad_fn is not None else AccumulateGrad(t)


class Function:
    """An operation with its derivative beside it: subclass and write ``forward`` and ``backward``.

    Call it with :meth:`apply`, never directly.  The class docstring of
    :mod:`refnn.autograd` shows a whole Function (y = x²).

    >>> from refnn.tensors import tensor
    >>> class Double(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         return [2 * v for v in x]
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         return [2 * g for g in grad_output]      # d(2x)/dx = 2
    >>> x = tensor([1.0, 5.0], requires_grad=True)
    >>> Double.apply(x).sum().backward()
    >>> x.grad
    tensor([2.0, 2.0])
    """

    @staticmethod
    def forward(ctx, *args):
        """The output's value from the inputs' values; save what ``backward`` needs in ctx."""
        raise NotImplementedError("a Function subclass writes forward(ctx, *inputs)")

    @staticmethod
    def backward(ctx, grad_output):
        """∂loss/∂input for each input (None where not needed), from grad_output = ∂loss/∂output."""
        raise NotImplementedError("a Function subclass writes backward(ctx, grad_output)")

    @classmethod
    def apply(cls, *args):
        """Run forward on the values of the arguments and record the step if any input requires grad.

        Tensors are handed to ``forward`` as their values; other arguments
        (a dim, a stride) as they are.  The output is a new Tensor.

        >>> from refnn.tensors import tensor
        >>> class Twice(Function):
        ...     @staticmethod
        ...     def forward(ctx, x, times):
        ...         return x * times
        ...
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         return grad_output * 2, None        # no gradient for the plain number times
        >>> y = Twice.apply(tensor(4.0, requires_grad=True), 2)
        >>> y, y.requires_grad
        (tensor(8.0, grad_fn=<TwiceBackward>), True)
        """
        ctx = FunctionCtx(cls, args)
        values = [a._value if isinstance(a, tensors.Tensor) else a for a in args]
        output = cls.forward(ctx, *values)
        record = _grad_enabled[0] and any(ctx.needs_input_grad)
        if record:
            ctx.output = output             # a reference to the numbers, no copy
        return tensors.Tensor._result(output, ctx if record else None, ctx.output_shape)


# --- the chain rule, backwards over the graph -------------------------------

def backward(tensor, gradient=None, retain_graph=False):
    """Add ∂tensor/∂leaf (times gradient) into the ``.grad`` of every leaf that requires grad.

    The steps are visited so that each receives the whole of its output's
    gradient (every path summed) before it passes it on: reverse
    topological order.  ``Tensor.backward()`` calls this.

    >>> from refnn.tensors import tensor
    >>> w = tensor([2.0, -1.0], requires_grad=True)
    >>> loss = (w * w).sum() + w.sum()          # two paths to w: 2w + 1
    >>> backward(loss)
    >>> w.grad
    tensor([5.0, -1.0])

    A tensor of more than one number needs the gradient of what it feeds:

    >>> backward(w * 2)
    Traceback (most recent call last):
        ...
    RuntimeError: grad can be implicitly created only for scalar outputs
    """
    if not isinstance(tensor, tensors.Tensor):
        raise TypeError(f"backward: tensor must be a Tensor, got {type(tensor).__name__}")
    if gradient is not None and not isinstance(gradient, tensors.Tensor):
        raise TypeError(f"backward: gradient must be a Tensor or None, got {type(gradient).__name__}")
    if not isinstance(retain_graph, bool):
        raise TypeError(f"backward: retain_graph must be True or False, got {type(retain_graph).__name__}")
    if not tensor.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    if gradient is None:
        if tensor.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        gradient = _one(tensor)
    gradient = tensors.Tensor._value_of("backward", gradient, tensor.shape)
    if tensor.grad_fn is None:                  # backward on a leaf: its own gradient is the one given
        _accumulate(tensor, gradient)
        return
    for node, g in _flow(tensor.grad_fn, gradient, retain_graph):
        if isinstance(node, AccumulateGrad):
            _accumulate(node.variable, g)


def gradients(tensor, gradient=None):
    """∂tensor/∂(what each step made) and ∂tensor/∂leaf, by the chain rule, without touching any ``.grad``.

    A list of (node, gradient): each step (a ``grad_fn``) from the output
    back, in the order ``backward`` visits them, with the gradient that
    arrives at the tensor it made; then each leaf that requires grad with
    its whole gradient (every path summed).  The graph is kept (as with
    ``retain_graph=True``), so it still needs its saved values: call it
    before ``backward`` or after ``backward(retain_graph=True)``.  PyTorch
    shows the same gradients through hooks (``grad_fn.register_hook``);
    :func:`refnn.explain.graph` prints them.

    >>> from refnn.tensors import tensor
    >>> w = tensor(3.0, requires_grad=True)
    >>> y = w * w                              # dy/dw = 2w
    >>> [(getattr(node, "name", lambda: "leaf")(), g) for node, g in gradients(y * 2)]
    [('MulBackward', tensor(1.0)), ('MulBackward', tensor(2.0)), ('leaf', tensor(12.0))]
    >>> w.grad is None
    True
    """
    if not isinstance(tensor, tensors.Tensor) or tensor.grad_fn is None:
        raise TypeError(f"gradients: tensor must be a Tensor made by a recorded step (one with a grad_fn), "
                        f"got {'a leaf' if isinstance(tensor, tensors.Tensor) else type(tensor).__name__}")
    if gradient is not None and not isinstance(gradient, tensors.Tensor):
        raise TypeError(f"gradients: gradient must be a Tensor or None, got {type(gradient).__name__}")
    if gradient is None:
        if tensor.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        gradient = _one(tensor)
    gradient = tensors.Tensor._value_of("gradients", gradient, tensor.shape)
    steps, leaves = [], {}
    for node, g in _flow(tensor.grad_fn, gradient, True):
        if not isinstance(node, AccumulateGrad):
            steps.append((node, tensors.Tensor._result(g, None)))
        elif id(node.variable) in leaves:        # a leaf reached by two paths: the paths add up
            leaf, total = leaves[id(node.variable)]
            leaves[id(node.variable)] = leaf, tensors.Tensor._add_values(total, g)
        else:
            leaves[id(node.variable)] = node.variable, _clone(g)
    return steps + [(leaf, tensors.Tensor._result(g, None, leaf.shape)) for leaf, g in leaves.values()]


def _one(tensor):
    """∂x/∂x = 1 for a tensor of one number, of its kind (a float, an int, a Fraction, a sympy number).

    Nested as the tensor is: [[1.0]] for a (1, 1) tensor, as PyTorch's backward takes one.
    """
    item = tensor.item()
    one = 1.0 if isinstance(item, float) else item * 0 + 1
    for _ in tensor.shape:
        one = [one]
    return one


def _flow(root, gradient, retain_graph):
    """The chain rule from step root: (step, gradient at its output) per step, (AccumulateGrad, g) at leaves.

    The steps are visited so that each receives the whole of its output's
    gradient (every path summed) before it passes it on: reverse
    topological order.  A step's saved values are freed once it has run,
    unless retain_graph.
    """
    grads = {root: gradient}
    for step in _reverse_topological(root):
        grad = grads.pop(step)
        if step._freed:
            raise RuntimeError(_FREED)
        yield step, grad
        input_grads = step.function.backward(step, grad)
        if not isinstance(input_grads, tuple):
            input_grads = (input_grads,)
        for edge, g in zip(step._next, input_grads):
            if edge is None or g is None:
                continue
            if isinstance(edge, AccumulateGrad):
                yield edge, g
            elif edge in grads:
                grads[edge] = tensors.Tensor._add_values(grads[edge], g)
            else:
                grads[edge] = g
        if not retain_graph:
            step._free()


def _reverse_topological(root):
    """The steps behind root, each before the steps that made its inputs (an explicit stack, no recursion).

    A depth-first walk lists a step after every step behind it (post-order);
    read backwards, that is the order the chain rule needs.  A recursive walk
    would overflow Python's stack on a graph a few thousand steps deep.
    """
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        step, done = stack.pop()
        if done:
            order.append(step)
        elif step not in visited:
            visited.add(step)
            stack.append((step, True))
            stack.extend((edge, False) for edge in step._next if isinstance(edge, FunctionCtx))
    return order[::-1]


def _accumulate(leaf, value):
    """leaf.grad += value (a new Tensor the first time): gradients add up until zero_grad."""
    if leaf.grad is None:
        # a copy: a gradient's rows may be shared by a broadcast (and ints stay ints, bools bools)
        leaf.grad = tensors.Tensor._result(_clone(value), None, leaf.shape)
    else:
        leaf.grad = tensors.Tensor._result(tensors.Tensor._add_values(leaf.grad._value, value), None)
