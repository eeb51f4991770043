/* shadow.c: shadow page tables. The MMU only ever sees the hypervisor's tables; they are built
 * lazily from the guest's, one 4 KiB entry per fault (the seed lecture's compute_shadow_pt):
 *
 *   real #PF at va -> walk the guest's tables (guest CR3, CR4.PSE, CR0.WP)
 *     guest has no mapping, or forbids the access   -> a true fault: inject #PF, guest CR2 = va
 *     guest allows it                               -> a hidden fault: set the guest's A (and
 *        on a write D) bits, translate the guest frame to a host frame, write the shadow
 *        entry, retry the instruction; the guest never knows
 *
 * The shadow behaves like a TLB: a guest CR3 load empties it, INVLPG drops an entry, a true
 * fault drops the entry it faulted on (as the CPU's TLB does). A shadow entry is writable only
 * once the guest's D bit is set, so the first write to a page comes here and sets D exactly.
 * A guest 4 MiB page (PSE) is shadowed by 4 KiB entries; INVLPG in such a region drops the
 * whole shadow page table. With paging off the shadow maps guest-linear = guest-physical. */
#include "vmm.h"
#include "libkern/string.h"

int opt_shadow_ad = 1;

#define NGPDE (HYPBASE >> 22)           /* page-directory slots the guest may use */
static uint32_t *spd;                   /* the shadow page directory (the real CR3) */
static uint32_t spd_pa;
static bool large[NGPDE];               /* shadow PT built from a guest 4 MiB page */
static uint32_t freelist, nfree;
uint32_t shadow_true_err;

static uint32_t pool_alloc(void) {
  if (!freelist)
    vmm_panic("shadow page pool exhausted");
  uint32_t pa = freelist;
  freelist = *(uint32_t *)P2V(pa);
  nfree--;
  memset(P2V(pa), 0, 4096);
  return pa;
}

static void pool_free(uint32_t pa) {
  *(uint32_t *)P2V(pa) = freelist;
  freelist = pa;
  nfree++;
}

uint32_t shadow_pd_pa(void) { return spd_pa; }

void shadow_init(void) {
  for (uint32_t pa = GUESTBASE - 4096; pa >= POOLBASE; pa -= 4096)
    pool_free(pa);
  spd_pa = pool_alloc();
  spd = P2V(spd_pa);
  extern uint32_t bootpgdir[];
  for (int i = NGPDE; i < 1024; i++)
    spd[i] = bootpgdir[i];
  lcr3(spd_pa);
}

void shadow_flush(void) {
  count(EX_SHADOW_FLUSH);
  for (int i = 0; i < NGPDE; i++) {
    if (spd[i] & PTE_P) {
      pool_free(spd[i] & ~0xFFF);
      spd[i] = 0;
    }
  }
  lcr3(spd_pa);
}

void shadow_drop(uint32_t va) {
  if (va >= HYPBASE || !(spd[va >> 22] & PTE_P))
    return;
  ((uint32_t *)P2V(spd[va >> 22] & ~0xFFF))[(va >> 12) & 0x3FF] = 0;
  invlpg(va);
}

void shadow_invlpg(uint32_t va) {
  uint32_t pdx = va >> 22;
  if (va >= HYPBASE || !(spd[pdx] & PTE_P))
    return;
  count(EX_INVLPG_DROP);
  if (large[pdx]) {
    pool_free(spd[pdx] & ~0xFFF);
    spd[pdx] = 0;
    lcr3(spd_pa);
  } else {
    shadow_drop(va);
  }
}

/* The guest's view of an access at va: fills *gpa and *perm (P/W/U of the guest's effective
 * entry) and sets the guest's A/D bits; returns false with shadow_true_err set for a true fault. */
static bool guest_walk(uint32_t va, bool write, bool user, uint32_t *gpa, uint32_t *perm, bool *big) {
  uint32_t err = (write ? 2 : 0) | (user ? 4 : 0);
  *big = false;
  if (!(vcpu.cr0 & CR0_PG)) {
    *gpa = va & ~0xFFF;
    *perm = PTE_P | PTE_W | PTE_U | PTE_D;
    return true;
  }
  uint32_t *pde = gpa2hva((vcpu.cr3 & ~0xFFF) + (va >> 22) * 4);
  if (!(*pde & PTE_P)) {
    shadow_true_err = err;
    return false;
  }
  uint32_t *leaf, eff;
  if ((*pde & PTE_PS) && (vcpu.cr4 & CR4_PSE)) {
    leaf = pde;
    eff = *pde;
    *gpa = (*pde & 0xFFC00000) | (va & 0x3FF000);
    *big = true;
  } else {
    uint32_t ptpa = (*pde & ~0xFFF) + ((va >> 12) & 0x3FF) * 4;
    if (!gpa_valid(ptpa)) {
      shadow_true_err = err | 1;
      return false;
    }
    leaf = gpa2hva(ptpa);
    if (!(*leaf & PTE_P)) {
      shadow_true_err = err;
      return false;
    }
    eff = (*leaf & ~(PTE_W | PTE_U)) | (*pde & *leaf & (PTE_W | PTE_U));
    *gpa = *leaf & ~0xFFF;
  }
  if ((user && !(eff & PTE_U)) || (write && !(eff & PTE_W) && (user || (vcpu.cr0 & CR0_WP)))) {
    shadow_true_err = err | 1;
    return false;
  }
  if (write && !(eff & PTE_W))
    vm_kill("supervisor write to a read-only page with guest CR0.WP=0 (unsupported)");
  *pde |= PTE_A;
  *leaf |= PTE_A;
  if (write || !opt_shadow_ad)
    *leaf |= (eff & PTE_W) ? PTE_D : 0;
  *perm = (eff & (PTE_P | PTE_W | PTE_U)) | (*leaf & PTE_D);
  return true;
}

bool shadow_fault(struct frame *f, uint32_t va) {
  bool write = f->err & 2, user = f->err & 4;
  uint32_t gpa, perm;
  bool big;
  if (va >= HYPBASE) {
    count(EX_OUTSIDE_PF);
    shadow_true_err = (f->err & 6) | 1;
    return false;
  }
  if (!guest_walk(va, write, user, &gpa, &perm, &big)) {
    count(EX_TRUE_PF);
    return false;
  }
  if (!gpa_valid(gpa)) {                    /* a guest mapping outside its memory: refused */
    count(EX_OUTSIDE_PF);
    shadow_true_err = (f->err & 6) | 1;
    return false;
  }
  uint32_t pdx = va >> 22;
  uint32_t *spt;
  if (spd[pdx] & PTE_P) {
    spt = P2V(spd[pdx] & ~0xFFF);
  } else {
    count(EX_SHADOW_PT);
    spd[pdx] = pool_alloc() | PTE_P | PTE_W | PTE_U;
    large[pdx] = big;
    spt = P2V(spd[pdx] & ~0xFFF);
  }
  uint32_t *spte = &spt[(va >> 12) & 0x3FF];
  count((*spte & PTE_P) ? EX_AD_PF : EX_HIDDEN_PF);
  uint32_t w = (perm & PTE_W) && (perm & PTE_D) ? PTE_W : 0;
  *spte = V2P(gpa2hva(gpa)) | PTE_P | w | (perm & PTE_U);
  invlpg(va);
  return true;
}
