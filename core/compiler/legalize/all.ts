/**
 * Registers every legalizer (side-effect imports, one line per category file under legalize/).
 */
export {};
