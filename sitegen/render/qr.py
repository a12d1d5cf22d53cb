"""A QR code as inline SVG, for paper: the printed agenda leads a phone's camera to the agenda online.

An address (plain ASCII with a lower-case letter, as every https:// address is) is encoded here, in byte mode
at error level M with mask 0, and drawn as segno 1.6 draws it: the same bytes as
`segno.make(address, error="m", micro=False, mask=0, boost_error=False).svg_inline(scale=4, border=2,
svgclass="qr", lineclass=None)` (tests/test_qr.py compares the two on many addresses). Importing segno costs a
cold build more than drawing its codes (its SVG writer pulls in urllib, http, email and ssl), so segno is
imported only for other text (digits or capitals only, other characters), which it encodes in another mode.
One fixed mask (any mask is valid and every reader decodes it): choosing the best of eight is 5x slower.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SCALE, BORDER = 4, 2
# Per version 1-40 at level M: (number of blocks, codewords per block, data codewords per block) per group.
BLOCKS = (
    ((1, 26, 16),), ((1, 44, 28),), ((1, 70, 44),), ((2, 50, 32),), ((2, 67, 43),), ((4, 43, 27),),
    ((4, 49, 31),), ((2, 60, 38), (2, 61, 39)), ((3, 58, 36), (2, 59, 37)), ((4, 69, 43), (1, 70, 44)),
    ((1, 80, 50), (4, 81, 51)), ((6, 58, 36), (2, 59, 37)), ((8, 59, 37), (1, 60, 38)),
    ((4, 64, 40), (5, 65, 41)), ((5, 65, 41), (5, 66, 42)), ((7, 73, 45), (3, 74, 46)),
    ((10, 74, 46), (1, 75, 47)), ((9, 69, 43), (4, 70, 44)), ((3, 70, 44), (11, 71, 45)),
    ((3, 67, 41), (13, 68, 42)), ((17, 68, 42),), ((17, 74, 46),), ((4, 75, 47), (14, 76, 48)),
    ((6, 73, 45), (14, 74, 46)), ((8, 75, 47), (13, 76, 48)), ((19, 74, 46), (4, 75, 47)),
    ((22, 73, 45), (3, 74, 46)), ((3, 73, 45), (23, 74, 46)), ((21, 73, 45), (7, 74, 46)),
    ((19, 75, 47), (10, 76, 48)), ((2, 74, 46), (29, 75, 47)), ((10, 74, 46), (23, 75, 47)),
    ((14, 74, 46), (21, 75, 47)), ((14, 74, 46), (23, 75, 47)), ((12, 75, 47), (26, 76, 48)),
    ((6, 75, 47), (34, 76, 48)), ((29, 74, 46), (14, 75, 47)), ((13, 74, 46), (32, 75, 47)),
    ((40, 75, 47), (7, 76, 48)), ((18, 75, 47), (31, 76, 48)),
)
# The centres of the alignment patterns per version from 2 on (ISO/IEC 18004 annex E).
ALIGNMENT = (
    (6, 18), (6, 22), (6, 26), (6, 30), (6, 34), (6, 22, 38), (6, 24, 42), (6, 26, 46), (6, 28, 50),
    (6, 30, 54), (6, 32, 58), (6, 34, 62), (6, 26, 46, 66), (6, 26, 48, 70), (6, 26, 50, 74), (6, 30, 54, 78),
    (6, 30, 56, 82), (6, 30, 58, 86), (6, 34, 62, 90), (6, 28, 50, 72, 94), (6, 26, 50, 74, 98),
    (6, 30, 54, 78, 102), (6, 28, 54, 80, 106), (6, 32, 58, 84, 110), (6, 30, 58, 86, 114),
    (6, 34, 62, 90, 118), (6, 26, 50, 74, 98, 122), (6, 30, 54, 78, 102, 126), (6, 26, 52, 78, 104, 130),
    (6, 30, 56, 82, 108, 134), (6, 34, 60, 86, 112, 138), (6, 30, 58, 86, 114, 142), (6, 34, 62, 90, 118, 146),
    (6, 30, 54, 78, 102, 126, 150), (6, 24, 50, 76, 102, 128, 154), (6, 28, 54, 80, 106, 132, 158),
    (6, 32, 58, 84, 110, 136, 162), (6, 26, 54, 82, 110, 138, 166), (6, 30, 58, 86, 114, 142, 170),
)
FORMAT_M_MASK0 = 0x5412  # the 15 format bits of level M with mask 0, BCH-protected and masked
ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
FINDER = ((0, 0, 0, 0, 0, 0, 0, 0, 0), (0, 1, 1, 1, 1, 1, 1, 1, 0), (0, 1, 0, 0, 0, 0, 0, 1, 0),
          (0, 1, 0, 1, 1, 1, 0, 1, 0), (0, 1, 0, 1, 1, 1, 0, 1, 0), (0, 1, 0, 1, 1, 1, 0, 1, 0),
          (0, 1, 0, 0, 0, 0, 0, 1, 0), (0, 1, 1, 1, 1, 1, 1, 1, 0), (0, 0, 0, 0, 0, 0, 0, 0, 0))
FREE = 2  # a module not yet drawn: where the codewords go
DARK_RUN = re.compile(rb"\x01+")  # modules side by side in a row, drawn as one line


def qr_svg(address: str, label: str) -> Markup:
    """An <svg> of the QR code for address, named for a screen reader by label."""
    matrix = qr_matrix(address) if byte_mode(address) else None
    if matrix is None:
        svg = _segno_svg(address)
    else:
        svg = svg_of(matrix)
    # '<svg width=".." height=".." class="qr">': add the role and the accessible name
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def byte_mode(text: str) -> bool:
    """Whether segno encodes text in byte mode as ASCII: not digits or capitals alone (those have their own
    modes), and no character outside ASCII (segno picks an encoding for those)."""
    return text.isascii() and not set(text) <= ALPHANUMERIC


def _segno_svg(address: str) -> str:
    import segno  # here, not at the top: its import costs more than most codes take to draw

    code = segno.make(address, error="m", micro=False, mask=0, boost_error=False)
    return code.svg_inline(scale=SCALE, border=BORDER, svgclass="qr", lineclass=None, omitsize=False)


def qr_matrix(text: str) -> list[bytearray] | None:
    """The modules (1 dark, 0 light) of text's code in byte mode, level M, mask 0; None when it is too long."""
    data = text.encode("ascii")
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        capacity = sum(blocks * data_words for blocks, _, data_words in BLOCKS[version - 1]) * 8
        if capacity >= 4 + count_bits + 8 * len(data):
            break
    else:
        return None
    bits = _bits(0b0100, 4) + _bits(len(data), count_bits)
    for byte in data:
        bits += _bits(byte, 8)
    bits += [0] * min(capacity - len(bits), 4)  # the terminator
    bits += [0] * (8 - len(bits) % 8)  # to a whole codeword (segno adds 8 when there is one already)
    pad = (0xEC, 0x11)
    for index in range(capacity // 8 - len(bits) // 8):
        bits += _bits(pad[index % 2], 8)
    words = [int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, len(bits) - 7, 8)]
    return _draw(version, _interleaved(version, words))


def _bits(value: int, length: int) -> list[int]:
    return [(value >> i) & 1 for i in range(length - 1, -1, -1)]


def _interleaved(version: int, words: list[int]) -> list[int]:
    """The final message as bits: the data blocks' codewords taken in turn, then the blocks' error
    correction codewords in turn, then the remainder bits."""
    data_blocks, error_blocks = [], []
    position = 0
    for blocks, total, data_words in BLOCKS[version - 1]:
        for _ in range(blocks):
            block = words[position:position + data_words]
            position += data_words
            data_blocks.append(block)
            error_blocks.append(_error_words(block, total - data_words))
    message: list[int] = []
    for blocks in (data_blocks, error_blocks):
        for index in range(max(map(len, blocks))):
            for block in blocks:
                if index < len(block):
                    message += _bits(block[index], 8)
    if 2 <= version <= 6:
        message += [0] * 7
    elif 14 <= version <= 20 or 28 <= version <= 34:
        message += [0] * 3
    elif 21 <= version <= 27:
        message += [0] * 4
    return message


def _galois() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Powers and logarithms in GF(256) with the QR polynomial 0x11d (powers twice over: no modulo)."""
    power, log = [0] * 510, [0] * 256
    value = 1
    for exponent in range(255):
        power[exponent] = power[exponent + 255] = value
        log[value] = exponent
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return tuple(power), tuple(log)


POWER, LOG = _galois()


def _error_words(block: list[int], count: int) -> list[int]:
    """The Reed-Solomon error correction codewords of a block."""
    power, log = POWER, LOG
    generator = [1]  # the product of (x - a^i) for i below count, highest power first
    for i in range(count):
        generator = [a ^ (_times(b, power[i], power, log) if b else 0)
                     for a, b in zip(generator + [0], [0] + generator)]
    logs = [log[c] for c in generator[1:]]
    remainder = list(block) + [0] * count
    for k in range(len(block)):
        coefficient = remainder[k]
        if coefficient:
            shift = log[coefficient]
            for n in range(count):
                remainder[k + n + 1] ^= power[shift + logs[n]]
    return remainder[len(block):]


def _times(a: int, b: int, power: tuple, log: tuple) -> int:
    return power[log[a] + log[b]] if a and b else 0


def _function_patterns(version: int) -> list[bytearray]:
    """The matrix with the finder, timing and alignment patterns, the format (and version) areas light and
    every other module FREE."""
    size = version * 4 + 17
    matrix = [bytearray([FREE] * size) for _ in range(size)]
    if version >= 7:
        for i in range(6):
            for j in (-11, -10, -9):
                matrix[i][j] = matrix[j][i] = 0
    for i in range(9):
        matrix[i][8] = matrix[8][i] = matrix[-i][8] = matrix[8][-i] = 0
    bit = 1
    for i in range(8, size - 8):  # the timing patterns
        matrix[i][6] = matrix[6][i] = bit
        bit ^= 1
    for i, j in ((0, 0), (0, size - 8), (-8, 0)):
        offset, column = (1 if i == 0 else 0), (0 if j != 0 else 1)
        for r in range(8):
            matrix[i + r][j:j + 8] = bytearray(FINDER[offset + r][column:column + 8])
    if version >= 2:
        centres = ALIGNMENT[version - 2]
        corners = {(centres[0], centres[0]), (centres[0], centres[-1]), (centres[-1], centres[0])}
        for x in centres:
            for y in centres:
                if (x, y) not in corners:
                    for r in range(5):
                        edge = r in (0, 4)
                        matrix[x - 2 + r][y - 2:y + 3] = bytearray(
                            (1, 1, 1, 1, 1) if edge else (1, 0, 1 if r == 2 else 0, 0, 1))
    return matrix


def _draw(version: int, message: list[int]) -> list[bytearray]:
    """The codewords placed up and down in column pairs from the right, masked, with the format and version."""
    matrix = _function_patterns(version)
    size = len(matrix)
    free = [[j for j in range(size) if row[j] == FREE] for row in matrix]
    position = 0
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for j in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = size - 1 - vertical if upwards else vertical
                row = matrix[i]
                if row[j] == FREE and position < len(message):
                    row[j] = message[position]
                    position += 1
    for i, columns in enumerate(free):  # mask 0: every module with an even row + column is flipped
        row = matrix[i]
        for j in columns:
            if (i + j) % 2 == 0:
                row[j] ^= 1
    _add_format_and_version(matrix, version)
    return matrix


def _add_format_and_version(matrix: list[bytearray], version: int) -> None:
    row_eight = matrix[8]
    vertical = horizontal = 0
    for i in range(8):
        vbit, hbit = (FORMAT_M_MASK0 >> i) & 1, (FORMAT_M_MASK0 >> (14 - i)) & 1
        if i == 6:  # past the timing pattern
            vertical, horizontal = 1, 1
        matrix[i + vertical][8] = vbit
        row_eight[i + horizontal] = hbit
        row_eight[-1 - i] = vbit
        matrix[-1 - i][8] = hbit
    matrix[-8][8] = 1  # the dark module
    if version < 7:
        return
    info = version << 12
    for i in range(5, -1, -1):  # the BCH(18, 6) code of the version
        if info & (1 << (i + 12)):
            info ^= 0x1F25 << i
    info |= version << 12
    for i in range(6):
        for k in range(3):
            matrix[-11 + k][i] = matrix[i][-11 + k] = (info >> (i * 3 + k)) & 1


def svg_of(matrix: list[bytearray]) -> str:
    """The modules as segno draws them: one path of horizontal runs of dark modules, each run relative to
    the end of the one before, at SCALE with a BORDER of light modules."""
    width = (len(matrix) + 2 * BORDER) * SCALE
    moves = []
    last_x, last_y = 0, 0.0
    for index, row in enumerate(matrix):
        y = BORDER + index + 0.5
        for run in DARK_RUN.finditer(row):
            dy = y - last_y
            moves.append(f"{'m' if moves else 'M'}{BORDER + run.start() - last_x} "
                         f"{int(dy) if int(dy) == dy else dy}h{run.end() - run.start()}")
            last_x, last_y = BORDER + run.end(), y
    return (f'<svg width="{width}" height="{width}" class="qr"><path transform="scale({SCALE})" stroke="#000" '
            f'd="{"".join(moves)}"/></svg>')
