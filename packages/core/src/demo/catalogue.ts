/**
 * The demo shop's catalogue and subscription plans. Prices are in euro cents, IVA (22 %) included,
 * as Italian consumer prices always are.
 */

export interface Product {
  readonly sku: string
  readonly name: string
  readonly category: Category
  /** List price, cents, IVA included. */
  readonly price: number
  /** Largest quantity usually bought in one order line. */
  readonly maxQuantity: number
}

export const CATEGORIES = ['abbigliamento', 'calzature', 'accessori', 'casa', 'bellezza'] as const
export type Category = (typeof CATEGORIES)[number]

type Row = readonly [sku: string, name: string, price: number, maxQuantity: number]

const BY_CATEGORY: Readonly<Record<Category, readonly Row[]>> = {
  abbigliamento: [
    ['ABB-1001', 'T-shirt in cotone biologico', 1990, 3],
    ['ABB-1002', 'Camicia in lino', 4990, 2],
    ['ABB-1003', 'Maglione in lana merino', 7990, 1],
    ['ABB-1004', 'Cardigan in cashmere', 14900, 1],
    ['ABB-1005', 'Jeans slim fit', 5990, 2],
    ['ABB-1006', 'Pantaloni chino', 4990, 2],
    ['ABB-1007', 'Felpa con cappuccio', 3990, 2],
    ['ABB-1008', 'Abito in seta', 12900, 1],
    ['ABB-1009', 'Gonna plissé', 4590, 1],
    ['ABB-1010', 'Piumino leggero', 9990, 1],
    ['ABB-1011', 'Cappotto in lana', 22900, 1],
    ['ABB-1012', 'Polo in piquet', 3490, 3],
    ['ABB-1013', 'Pigiama in cotone', 3290, 2],
  ],
  calzature: [
    ['CAL-2001', 'Sneaker in pelle', 8990, 1],
    ['CAL-2002', 'Mocassini in camoscio', 11900, 1],
    ['CAL-2003', 'Stivaletti Chelsea', 13900, 1],
    ['CAL-2004', 'Sandali intrecciati', 6490, 1],
    ['CAL-2005', 'Décolleté in vernice', 9990, 1],
    ['CAL-2006', 'Ciabatte da casa in feltro', 2490, 2],
    ['CAL-2007', 'Scarpe da corsa', 10990, 1],
    ['CAL-2008', 'Stivali in pelle', 18900, 1],
  ],
  accessori: [
    ['ACC-3001', 'Borsa a tracolla in pelle', 12900, 1],
    ['ACC-3002', 'Cintura in cuoio', 3990, 1],
    ['ACC-3003', 'Sciarpa in cashmere', 8990, 1],
    ['ACC-3004', 'Portafoglio in pelle', 4990, 1],
    ['ACC-3005', 'Occhiali da sole', 7990, 1],
    ['ACC-3006', 'Cappello in feltro', 4490, 1],
    ['ACC-3007', 'Guanti in pelle', 3990, 1],
    ['ACC-3008', 'Calzini in cotone (3 paia)', 1290, 4],
    ['ACC-3009', 'Ombrello pieghevole', 1990, 2],
    ['ACC-3010', 'Zaino in tela', 5990, 1],
  ],
  casa: [
    ['CAS-4001', 'Set lenzuola in percalle', 6990, 2],
    ['CAS-4002', 'Plaid in lana', 5490, 2],
    ['CAS-4003', 'Candela profumata al fico', 1890, 4],
    ['CAS-4004', 'Tazza in ceramica', 990, 6],
    ['CAS-4005', 'Cuscino in velluto', 2990, 4],
    ['CAS-4006', 'Tovaglia in lino', 4490, 2],
    ['CAS-4007', 'Set asciugamani in spugna', 3990, 2],
    ['CAS-4008', 'Caffettiera moka 6 tazze', 3490, 1],
    ['CAS-4009', 'Diffusore per ambienti', 2490, 3],
  ],
  bellezza: [
    ['BEL-5001', 'Crema viso idratante', 2890, 2],
    ['BEL-5002', 'Eau de parfum 50 ml', 6900, 1],
    ['BEL-5003', 'Balsamo labbra', 590, 4],
    ['BEL-5004', 'Olio corpo alle mandorle', 1690, 3],
    ['BEL-5005', 'Shampoo delicato', 990, 3],
    ['BEL-5006', "Sapone all'olio d'oliva", 490, 6],
    ['BEL-5007', 'Siero alla vitamina C', 3490, 2],
    ['BEL-5008', 'Rossetto opaco', 1990, 3],
    ['BEL-5009', 'Crema mani', 790, 4],
  ],
}

const products = (category: Category): readonly Product[] =>
  BY_CATEGORY[category]
    .map(([sku, name, price, maxQuantity]): Product => ({
      sku,
      name,
      category,
      price,
      maxQuantity,
    }))
    .sort((x, y) => x.price - y.price)

/** Products of each category, cheapest first. */
export const PRODUCTS_BY_CATEGORY: Readonly<Record<Category, readonly Product[]>> = {
  abbigliamento: products('abbigliamento'),
  calzature: products('calzature'),
  accessori: products('accessori'),
  casa: products('casa'),
  bellezza: products('bellezza'),
}

export const PRODUCTS: readonly Product[] = CATEGORIES.flatMap((c) => PRODUCTS_BY_CATEGORY[c])

/** Share of the shop's sales by category (before a customer's own preferences). */
export const CATEGORY_WEIGHTS: readonly (readonly [Category, number])[] = [
  ['abbigliamento', 40],
  ['calzature', 18],
  ['accessori', 17],
  ['casa', 12],
  ['bellezza', 13],
]

export interface Plan {
  readonly name: string
  readonly interval: 'month' | 'year'
  /** Price per interval, cents, IVA included. */
  readonly amount: number
  /** Whether new subscriptions to it may start with a free trial. */
  readonly trial: boolean
}

export const PLANS = {
  base: { name: 'Club Base', interval: 'month', amount: 990, trial: true },
  plus: { name: 'Club Plus', interval: 'month', amount: 1990, trial: true },
  annual: { name: 'Club Annuale', interval: 'year', amount: 9900, trial: false },
} as const satisfies Record<string, Plan>
export type PlanKey = keyof typeof PLANS

/** Share of new subscriptions by plan. */
export const PLAN_WEIGHTS: readonly (readonly [PlanKey, number])[] = [
  ['base', 55],
  ['plus', 25],
  ['annual', 20],
]

/** Free shipping threshold and the flat shipping fee (cents) for web, app and marketplace orders. */
export const FREE_SHIPPING_FROM = 4900
export const SHIPPING_FEE = 490
/** Italian standard VAT rate, percent; all prices include it. */
export const IVA_PERCENT = 22
