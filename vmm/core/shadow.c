/* shadow.c: shadow page tables. The MMU only ever sees the hypervisor's tables; they are built
 * lazily from the guest's, one 4 KiB entry per fault (the seed lecture's compute_shadow_pt):
 *
 *   real #PF at va -> walk the guest's tables (guest CR3, CR4.PSE, CR0.WP)
 *     guest has no mapping, or forbids the access   -> a true fault: inject #PF, guest CR2 = va
 *     guest allows it                               -> a hidden fault: set the guest's A (and
 *        on a write D) bits, translate the guest frame to a host frame, write the shadow
 *        entry, retry the instruction; the guest never knows
 *
 * A shadow entry is writable only once the guest's D bit is set, so the first write to a page
 * comes here and sets D exactly ("ad=0" sets D at once instead). A guest 4 MiB page (PSE) is
 * shadowed by 4 KiB entries. With paging off the shadow maps guest-linear = guest-physical.
 *
 * Two strategies ("shadow=flush" or "shadow=cache" on the VMM command line):
 *
 *  flush: one shadow that behaves like a TLB: a guest CR3 load empties it, INVLPG drops an
 *         entry, a true fault drops the entry it faulted on (as the CPU's TLB does).
 *  cache: up to NSHADOW shadows, one per guest CR3, kept across CR3 loads. They stay coherent
 *         because every guest page a shadow was built from (the page directory at CR3 and each
 *         page table) is write-protected: a guest write to one traps ("page-table write"), the
 *         shadow state built from that page is dropped and the page made writable again until
 *         a shadow is next built from it. A reverse map (gfn -> writable shadow entries) finds
 *         the mappings to make read-only when a page starts being tracked. */
#include "vmm.h"
#include "libkern/string.h"

int opt_shadow_ad = 1;
int opt_shadow_cache = 1;

#define NGPDE (HYPBASE >> 22)           /* page-directory slots the guest may use */
#define NSHADOW 8
#define SRC_NONE 1                      /* shadow PT not built from a guest page table */
#define PAGING_OFF 0xFFFFFFFF           /* the tag of the shadow used while guest paging is off */

struct shadow {
  bool used;
  uint32_t gcr3;                        /* guest CR3 (page), or PAGING_OFF */
  bool pd_tracked;                      /* the guest page directory is write-protected */
  uint32_t pd_pa;
  uint32_t *pd;
  uint64_t last;                        /* for LRU replacement */
  uint32_t src[NGPDE];                  /* guest page table each shadow PT was built from */
  bool large[NGPDE];                    /* shadow PT built from a guest 4 MiB page */
};
static struct shadow shadows[NSHADOW] PERVM;
static struct shadow *cur PERVM;
static uint32_t hyp_pdes[1024 - NGPDE] PERVM;
static uint64_t tick PERVM;
/* Each VM's own free list of its own share of the pool. (Both need PERVM: an attribute after a
 * declarator list belongs to the last declarator only. With a shared freelist the VMs took
 * each other's pool pages, and a restarted VM's shadow_init pushed pages back on the list that
 * the other VM still used as shadow page tables and directories.) */
static uint32_t freelist PERVM;
static uint32_t nfree PERVM;
uint32_t shadow_true_err PERVM;

/* Write tracking: per guest frame, how many shadow structures were built from it. */
#define MAXGFN (HOSTMAX / 4096)
static uint16_t tracked[MAXGFN] PERVM;
/* Reverse map: per guest frame, shadow entries that may map it writable (checked lazily: an
 * entry whose value changed since is skipped). */
struct rmap { uint32_t *spte; uint32_t val; int32_t next; };
#define NRMAP 65536
static struct rmap rmap[NRMAP] PERVM;
static int32_t rhead[MAXGFN] PERVM;
static int32_t rfree PERVM;
static bool rmap_ready PERVM;

static uint32_t pool_alloc(void);

static uint32_t pool_alloc_raw(void) {
  uint32_t pa = freelist;
  if (pa < vms[vcpu.id].pool_lo || pa >= vms[vcpu.id].pool_hi)
    vmm_panic("VM %d: shadow pool page %x outside its pool [%x, %x)", vcpu.id, pa,
              vms[vcpu.id].pool_lo, vms[vcpu.id].pool_hi);
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

uint32_t shadow_pd_pa(void) { return cur->pd_pa; }

static void rmap_reset(void) {
  for (int i = 0; i < MAXGFN; i++)
    rhead[i] = -1;
  for (int i = 0; i < NRMAP - 1; i++)
    rmap[i].next = i + 1;
  rmap[NRMAP - 1].next = -1;
  rfree = 0;
  rmap_ready = true;
}

static void free_shadow_pt(struct shadow *s, int pdx) {
  if (!(s->pd[pdx] & PTE_P))
    return;
  pool_free(s->pd[pdx] & ~0xFFF);
  s->pd[pdx] = 0;
  if (s->src[pdx] != SRC_NONE && tracked[s->src[pdx] >> 12])
    tracked[s->src[pdx] >> 12]--;
  s->src[pdx] = SRC_NONE;
}

static void free_shadow(struct shadow *s) {
  for (int i = 0; i < NGPDE; i++)
    free_shadow_pt(s, i);
  if (s->pd_tracked && tracked[s->gcr3 >> 12])
    tracked[s->gcr3 >> 12]--;
  pool_free(s->pd_pa);
  s->used = false;
}

static void load(struct shadow *s) {
  cur = s;
  s->last = ++tick;
  lcr3(s->pd_pa);
}

/* Every shadow dropped: the pool or the reverse map ran out, or a strategy needs a clean start. */
static void drop_all(void) {
  count(EX_SHADOW_FLUSH);
  if (!cur)
    return;
  for (int i = 0; i < NSHADOW; i++)
    if (shadows[i].used && &shadows[i] != cur)
      free_shadow(&shadows[i]);
  for (int i = 0; i < NGPDE; i++)
    free_shadow_pt(cur, i);
  rmap_reset();
  lcr3(cur->pd_pa);
}

static uint32_t pool_alloc(void) {
  if (nfree < 2)
    drop_all();
  if (!freelist)
    vmm_panic("shadow page pool exhausted");
  return pool_alloc_raw();
}

static struct shadow *new_shadow(uint32_t tag) {
  struct shadow *s = 0;
  for (int i = 0; i < NSHADOW; i++)
    if (!shadows[i].used) {
      s = &shadows[i];
      break;
    }
  if (!s) {                                 /* evict the least recently loaded */
    s = cur == &shadows[0] ? &shadows[1] : &shadows[0];
    for (int i = 0; i < NSHADOW; i++)
      if (&shadows[i] != cur && shadows[i].last < s->last)
        s = &shadows[i];
    free_shadow(s);
  }
  s->used = true;
  s->gcr3 = tag;
  s->pd_tracked = false;
  s->pd_pa = pool_alloc();
  s->pd = P2V(s->pd_pa);
  for (int i = 0; i < NGPDE; i++) {
    s->src[i] = SRC_NONE;
    s->large[i] = false;
  }
  for (int i = NGPDE; i < 1024; i++)
    s->pd[i] = hyp_pdes[i - NGPDE];
  return s;
}

void shadow_init(void) {
  for (uint32_t pa = vms[vcpu.id].pool_hi - 4096; pa >= vms[vcpu.id].pool_lo; pa -= 4096)
    pool_free(pa);
  extern uint32_t bootpgdir[];
  for (int i = NGPDE; i < 1024; i++)
    hyp_pdes[i - NGPDE] = bootpgdir[i];
  rmap_reset();
  load(new_shadow(PAGING_OFF));
}

/* A restored VM (snapshot.c): its window, with this bookkeeping, came back from the snapshot,
 * but the pool pages it names have been reused since. Everything starts again from an empty
 * pool (hyp_pdes, restored too, are unchanged), then the shadow for the guest's CR3 is built.
 * The caller runs on the boot page directory, not on one of these shadows. */
void shadow_rebuild(void) {
  memset(shadows, 0, sizeof shadows);
  memset(tracked, 0, sizeof tracked);
  cur = 0;
  freelist = 0;
  nfree = 0;
  for (uint32_t pa = vms[vcpu.id].pool_hi - 4096; pa >= vms[vcpu.id].pool_lo; pa -= 4096)
    pool_free(pa);
  rmap_reset();
  load(new_shadow(PAGING_OFF));
  shadow_flush();
}

/* Makes every writable shadow mapping of gfn read-only (it has become a page-table page). */
static void write_protect(uint32_t gfn) {
  for (int32_t i = rhead[gfn], next; i >= 0; i = next) {
    next = rmap[i].next;
    if ((*rmap[i].spte & ~(PTE_A | PTE_D)) == rmap[i].val) {   /* the MMU sets A and D in it */
      *rmap[i].spte &= ~PTE_W;
      count(EX_WP_DOWNGRADE);
    }
    rmap[i].next = rfree;
    rfree = i;
  }
  rhead[gfn] = -1;
  lcr3(cur->pd_pa);                          /* the downgraded entries may be in the TLB */
}

static void track(uint32_t gpa) {
  uint32_t gfn = gpa >> 12;
  if (gfn >= MAXGFN)
    return;
  if (tracked[gfn]++ == 0)
    write_protect(gfn);
}

/* A guest page that shadows were built from is being written: drop what was built from it. */
static void untrack(uint32_t gfn) {
  count(EX_PT_WRITE);
  uint32_t gpa = gfn << 12;
  for (int i = 0; i < NSHADOW; i++) {
    struct shadow *s = &shadows[i];
    if (!s->used)
      continue;
    if (s->gcr3 == gpa && s != cur) {
      count(EX_SHADOW_ZAP);
      free_shadow(s);
      continue;
    }
    if (s->gcr3 == gpa) {                     /* the current page directory: empty the shadow, */
      count(EX_SHADOW_ZAP);                   /* and track the directory again at the next CR3 load */
      for (int j = 0; j < NGPDE; j++)
        free_shadow_pt(s, j);
      if (s->pd_tracked && tracked[gfn])
        tracked[gfn]--;
      s->pd_tracked = false;
      continue;
    }
    for (int j = 0; j < NGPDE; j++)
      if (s->src[j] == gpa)
        free_shadow_pt(s, j);
  }
  lcr3(cur->pd_pa);
}

/* The hypervisor itself is about to write guest-physical gpa (INS, an exception frame, ...). */
void shadow_hyp_write(uint32_t gpa) {
  if (opt_shadow_cache && (gpa >> 12) < MAXGFN && tracked[gpa >> 12])
    untrack(gpa >> 12);
}

void shadow_flush(void) {
  uint32_t tag = (vcpu.cr0 & CR0_PG) ? (vcpu.cr3 & ~0xFFF) : PAGING_OFF;
  if (!opt_shadow_cache) {
    count(EX_SHADOW_FLUSH);
    for (int i = 0; i < NGPDE; i++)
      free_shadow_pt(cur, i);
    lcr3(cur->pd_pa);
    return;
  }
  struct shadow *s = 0;
  for (int i = 0; i < NSHADOW; i++)
    if (shadows[i].used && shadows[i].gcr3 == tag)
      s = &shadows[i];
  if (s && (s->pd_tracked || tag == PAGING_OFF || (tag >> 12) >= MAXGFN)) {
    count(EX_SHADOW_HIT);
    load(s);
    return;
  }
  count(EX_SHADOW_NEW);
  if (s) {                                    /* its directory was written since: rebuild */
    for (int j = 0; j < NGPDE; j++)
      free_shadow_pt(s, j);
  } else {
    s = new_shadow(tag);
  }
  if (tag != PAGING_OFF && (tag >> 12) < MAXGFN) {
    track(tag);
    s->pd_tracked = true;
  }
  load(s);
}

/* CR4.PSE or CR0.WP changed: every shadow may be wrong. */
void shadow_reset(void) {
  drop_all();
  shadow_flush();
}

void shadow_drop(uint32_t va) {
  if (va >= HYPBASE || !(cur->pd[va >> 22] & PTE_P))
    return;
  ((uint32_t *)P2V(cur->pd[va >> 22] & ~0xFFF))[(va >> 12) & 0x3FF] = 0;
  invlpg(va);
}

void shadow_invlpg(uint32_t va) {
  uint32_t pdx = va >> 22;
  if (va >= HYPBASE || !(cur->pd[pdx] & PTE_P))
    return;
  count(EX_INVLPG_DROP);
  if (cur->large[pdx]) {
    free_shadow_pt(cur, pdx);
    lcr3(cur->pd_pa);
  } else {
    shadow_drop(va);
  }
}

/* The guest's view of an access at va: fills *gpa and *perm (P/W/U of the guest's effective
 * entry, and its D bit), sets the guest's A/D bits and says which guest page table the entry
 * came from (*ptpa, SRC_NONE for a 4 MiB page or paging off); false with shadow_true_err set
 * for a true fault. */
static bool guest_walk(uint32_t va, bool write, bool user, uint32_t *gpa, uint32_t *perm, uint32_t *ptpa) {
  uint32_t err = (write ? 2 : 0) | (user ? 4 : 0);
  *ptpa = SRC_NONE;
  if (!(vcpu.cr0 & CR0_PG)) {
    *gpa = va & ~0xFFF;
    *perm = PTE_P | PTE_W | PTE_U | PTE_D;
    return true;
  }
  uint32_t pdpa = (vcpu.cr3 & ~0xFFF) + (va >> 22) * 4;
  if (!gpa_valid(pdpa)) {
    shadow_true_err = err;
    return false;
  }
  uint32_t *pde = gpa2hva(pdpa);
  if (!(*pde & PTE_P)) {
    shadow_true_err = err;
    return false;
  }
  uint32_t *leaf, eff;
  if ((*pde & PTE_PS) && (vcpu.cr4 & CR4_PSE)) {
    leaf = pde;
    eff = *pde;
    *gpa = (*pde & 0xFFC00000) | (va & 0x3FF000);
  } else {
    *ptpa = *pde & ~0xFFF;
    uint32_t ptepa = *ptpa + ((va >> 12) & 0x3FF) * 4;
    if (!gpa_valid(ptepa)) {
      shadow_true_err = err | 1;
      return false;
    }
    leaf = gpa2hva(ptepa);
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
  uint32_t gpa, perm, ptpa;
  if (va >= HYPBASE) {
    count(EX_OUTSIDE_PF);
    shadow_true_err = (f->err & 6) | 1;
    return false;
  }
  if (!guest_walk(va, write, user, &gpa, &perm, &ptpa)) {
    count(EX_TRUE_PF);
    return false;
  }
  if (!gpa_valid(gpa)) {                    /* a guest mapping outside its memory: refused */
    count(EX_OUTSIDE_PF);
    shadow_true_err = (f->err & 6) | 1;
    return false;
  }
  uint32_t gfn = gpa >> 12;
  bool pt_write = opt_shadow_cache && write && tracked[gfn];
  if (pt_write) {
    if (ptpa == (gpa & ~0xFFF))
      vm_kill("a page table that maps itself is written (unsupported with shadow=cache; use shadow=flush)");
    untrack(gfn);                           /* a write to a page table: the guest may now write it */
  }
  uint32_t pdx = va >> 22;
  uint32_t *spt;
  bool large = ptpa == SRC_NONE && (vcpu.cr0 & CR0_PG);
  if (opt_shadow_cache && (cur->pd[pdx] & PTE_P) && (cur->src[pdx] != ptpa || cur->large[pdx] != large)) {
    /* the guest changed this PDE while its directory was not write-protected (it is the
     * current one and was written since the last CR3 load): start this region again */
    count(EX_SHADOW_ZAP);
    free_shadow_pt(cur, pdx);
    lcr3(cur->pd_pa);
  }
  if (!(cur->pd[pdx] & PTE_P)) {
    count(EX_SHADOW_PT);
    cur->pd[pdx] = pool_alloc() | PTE_P | PTE_W | PTE_U;
    cur->large[pdx] = large;
    cur->src[pdx] = opt_shadow_cache ? ptpa : SRC_NONE;
    if (opt_shadow_cache && ptpa != SRC_NONE)
      track(ptpa);
  }
  spt = P2V(cur->pd[pdx] & ~0xFFF);
  uint32_t *spte = &spt[(va >> 12) & 0x3FF];
  if (!(*spte & PTE_P))
    count(EX_HIDDEN_PF);
  else if (!pt_write)
    count(EX_AD_PF);                        /* present but read-only: the first write (D bit) */
  bool w = (perm & PTE_W) && (perm & PTE_D) && !(opt_shadow_cache && tracked[gfn]);
  *spte = V2P(gpa2hva(gpa)) | PTE_P | (w ? PTE_W : 0) | (perm & PTE_U);
  if (w && opt_shadow_cache && gfn < MAXGFN) {
    if (rfree < 0)
      drop_all();                           /* reverse map full: start over */
    else {
      int32_t n = rfree;
      rfree = rmap[n].next;
      rmap[n] = (struct rmap){ spte, *spte & ~(PTE_A | PTE_D), rhead[gfn] };
      rhead[gfn] = n;
    }
  }
  invlpg(va);
  return true;
}
