// Style sheets are bundled by Vite; importing one only adds it to the page.
declare module "*.css";
declare module "*.wav" {
  const url: string;
  export default url;
}
