/* vga.c: the VGA text screen (80x25 at physical 0xB8000) with scrolling and the CRTC hardware cursor. */
#include "defs.h"
#include "x86.h"

#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
#define COLS 80
#define ROWS 25
#define ATTR 0x0700        /* light grey on black */

static uint16_t *screen;
static int pos;            /* cursor: row * COLS + column */

static void setcursor(void) {
  outb(CRTC_INDEX, 14);
  outb(CRTC_DATA, pos >> 8);
  outb(CRTC_INDEX, 15);
  outb(CRTC_DATA, pos);
}

void vgainit(void) {
  screen = P2V(0xB8000);
  for (int i = 0; i < ROWS * COLS; i++)
    screen[i] = ATTR | ' ';
  pos = 0;
  setcursor();
}

void vgaputc(int c) {
  if (!screen)
    return;
  if (c == '\n')
    pos += COLS - pos % COLS;
  else if (c == '\b') {
    if (pos > 0)
      screen[--pos] = ATTR | ' ';
  } else if (c != '\r')
    screen[pos++] = ATTR | (c & 0xFF);
  if (pos >= ROWS * COLS) {
    memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(screen[0]));
    pos -= COLS;
    for (int i = pos; i < ROWS * COLS; i++)
      screen[i] = ATTR | ' ';
  }
  setcursor();
}
