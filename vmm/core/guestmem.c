/* guestmem.c: how the hypervisor reaches the guest's memory. Guest-physical address gpa lives at
 * host-physical GUESTBASE + gpa, except the VGA window [0xA0000, 0xC0000), which is the host's
 * own (the VM's screen is the machine's screen). Guest-linear addresses are translated by
 * walking the guest's page tables in software, never through the shadow tables. */
#include "vmm.h"

#define VGA_LO 0xA0000
#define VGA_HI 0xC0000

bool gpa_valid(uint32_t gpa) {
  return gpa < vcpu.gsize;
}

void *gpa2hva(uint32_t gpa) {
  if (gpa >= VGA_LO && gpa < VGA_HI)
    return P2V(gpa);
  return P2V(GUESTBASE + gpa);
}

/* Guest linear -> guest physical, as the guest's MMU would (no permission checks, no A/D). */
bool gva2gpa(uint32_t va, uint32_t *gpa) {
  if (!(vcpu.cr0 & CR0_PG)) {
    *gpa = va;
    return gpa_valid(va);
  }
  uint32_t pdpa = (vcpu.cr3 & ~0xFFF) + (va >> 22) * 4;
  if (!gpa_valid(pdpa))
    return false;
  uint32_t pde = *(uint32_t *)gpa2hva(pdpa);
  if (!(pde & PTE_P))
    return false;
  if ((pde & PTE_PS) && (vcpu.cr4 & CR4_PSE)) {
    *gpa = (pde & 0xFFC00000) | (va & 0x3FFFFF);
    return gpa_valid(*gpa);
  }
  uint32_t ptpa = (pde & ~0xFFF) + ((va >> 12) & 0x3FF) * 4;
  if (!gpa_valid(ptpa))
    return false;
  uint32_t pte = *(uint32_t *)gpa2hva(ptpa);
  if (!(pte & PTE_P))
    return false;
  *gpa = (pte & ~0xFFF) | (va & 0xFFF);
  return gpa_valid(*gpa);
}

static bool gcopy(uint32_t va, void *buf, uint32_t n, bool write) {
  char *b = buf;
  while (n > 0) {
    uint32_t gpa, chunk = 0x1000 - (va & 0xFFF);
    if (chunk > n)
      chunk = n;
    if (!gva2gpa(va, &gpa))
      return false;
    if (write)
      shadow_hyp_write(gpa);
    char *h = gpa2hva(gpa);
    for (uint32_t i = 0; i < chunk; i++) {
      if (write)
        h[i] = b[i];
      else
        b[i] = h[i];
    }
    va += chunk;
    b += chunk;
    n -= chunk;
  }
  return true;
}

bool gread(uint32_t va, void *buf, uint32_t n) { return gcopy(va, buf, n, false); }
bool gwrite(uint32_t va, const void *buf, uint32_t n) { return gcopy(va, (void *)buf, n, true); }
