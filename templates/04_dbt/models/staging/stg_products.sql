{{ config(materialized='table') }}

select
    trim(product_id) as product_id,
    trim(product_name) as product_name,
    lower(trim(category)) as category,
    cast(unit_price as decimal(10, 2)) as unit_price
from {{ source('raw', 'products') }}
